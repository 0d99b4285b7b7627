#!/usr/bin/env bash
# Installs the pinned Python peers (test/peers/requirements.txt) into .venv-peers/ at the checkout's root.
# In: python3 with the venv module, PyPI. Out: .venv-peers/bin/python able to import brian2, nest, pynestml, nir,
# sanafe; the peer tests (test/peers, test/helpers/peers.ts) use it when it exists. Binary wheels only.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-python3}
if [ ! -x .venv-peers/bin/python ]; then
  "$python" -m venv .venv-peers
fi
.venv-peers/bin/python -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
  -r test/peers/requirements.txt
.venv-peers/bin/python -W ignore -c "import brian2, nest, pynestml, nir, sanafe; print('peers: brian2', brian2.__version__, '| nest', nest.__version__, '| nir', nir.__version__ if hasattr(nir, '__version__') else '?', '| sanafe ok | nestml ok')" 2>/dev/null | grep '^peers:'
