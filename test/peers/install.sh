#!/usr/bin/env bash
# Installs the pinned Python peers (test/peers/requirements.txt) into .venv-peers/ at the checkout's root, and
# NEST 3.10.0 built from its PyPI sdist (pinned by hash) with MPI (Debian's OpenMPI) and GSL, so that NESTML's
# generated modules can build against it and `mpirun -np 2 python run.py` runs distributed.
# In: python3 with the venv module, PyPI, Debian packages (installed here when root and missing; otherwise the
# script stops naming the apt-get command). Out: .venv-peers/bin/python able to import brian2, nest (with MPI),
# pynestml, nir, sanafe; the peer tests (test/peers, test/helpers/peers.ts) use it when it exists.
# NEST is built only with the models glia's exporter and tests use (NEST_MODELS below), on all cores; a venv that
# already holds this NEST build is left as it is.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-python3}
venv=$PWD/.venv-peers

nest_version=3.10.0
nest_sha256=8fbd7df4a3e941784d4b1d5825ded234bdc915238faac0982c62e4cb80134d52
# The NEST models built: those targets/export/nest matches or names, the ones test/peers and test/bench/nest
# create, and the devices run.py scripts use. NESTML modules need none of them (they build against the kernel).
nest_models="iaf_psc_exp;iaf_psc_alpha;iaf_cond_exp;aeif_cond_exp;aeif_psc_exp;hh_psc_alpha;izhikevich"
nest_models+=";parrot_neuron;astrocyte_lr_1994;aeif_cond_alpha_astro;sic_connection"
nest_models+=";static_synapse;stdp_synapse;tsodyks_synapse;tsodyks2_synapse"
nest_models+=";poisson_generator;spike_generator;dc_generator;spike_recorder;multimeter;weight_recorder"

# Debian packages the NEST build needs (compiler, cmake, GSL, OpenMPI with mpirun, ltdl for loading modules).
debs="g++ cmake make libgsl-dev libopenmpi-dev openmpi-bin libltdl-dev python3-dev"
missing=""
for p in $debs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=" $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "peers: installing Debian packages:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing </dev/null >/dev/null
  else
    echo "peers: missing Debian packages:$missing" >&2
    echo "peers: run as root: apt-get install -y$missing   (then run this script again)" >&2
    exit 1
  fi
fi

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
  -r test/peers/requirements.txt

have_nest() {
  "$venv/bin/python" -c "
import sys, nest
b = nest.GetKernelStatus('build_info')
sys.exit(0 if nest.__version__ == '$nest_version' and b['have_mpi'] and b['have_gsl'] else 1)" >/dev/null 2>&1
}
if have_nest; then
  echo "peers: NEST $nest_version with MPI already in .venv-peers"
else
  t0=$(date +%s)
  src=$venv/src
  mkdir -p "$src"
  tarball=$src/nest_simulator-$nest_version.tar.gz
  if [ ! -f "$tarball" ] || ! echo "$nest_sha256  $tarball" | sha256sum -c --quiet - 2>/dev/null; then
    # the sdist, by pip from PyPI (--no-binary for NEST only: its build backend's own requirements come as wheels)
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
      --no-binary=nest-simulator "nest-simulator==$nest_version" -d "$src"
  fi
  echo "$nest_sha256  $tarball" | sha256sum -c --quiet - || {
    echo "peers: $tarball does not have the pinned sha256 $nest_sha256" >&2
    exit 1
  }
  rm -rf "$src/nest_simulator-$nest_version" "$src/build"
  tar -xzf "$tarball" -C "$src"
  echo "peers: building NEST $nest_version (MPI, GSL, $(echo "$nest_models" | tr ';' '\n' | wc -l) models) on $(nproc) cores"
  cmake -S "$src/nest_simulator-$nest_version" -B "$src/build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$venv" -DPython_EXECUTABLE="$venv/bin/python" \
    -Dwith-mpi=ON -Dwith-gsl=ON -Dwith-openmp=ON -Dwith-ltdl=ON -Dwith-readline=OFF \
    -Dwith-models="$nest_models" >"$src/cmake.log" 2>&1 || {
    tail -n 30 "$src/cmake.log" >&2
    exit 1
  }
  make -C "$src/build" -j"$(nproc)" install >"$src/make.log" 2>&1 || {
    tail -n 30 "$src/make.log" >&2
    exit 1
  }
  rm -rf "$src/build" "$src/nest_simulator-$nest_version"
  have_nest || {
    echo "peers: NEST built but 'import nest' in .venv-peers does not report MPI and GSL" >&2
    exit 1
  }
  echo "peers: NEST $nest_version built and installed in $(($(date +%s) - t0)) s"
fi
"$venv/bin/python" -W ignore -c "import brian2, nest, pynestml, nir, sanafe; print('peers: brian2', brian2.__version__, '| nest', nest.__version__, 'mpi', nest.GetKernelStatus('build_info')['have_mpi'], '| nir', nir.__version__ if hasattr(nir, '__version__') else '?', '| sanafe ok | nestml ok')" 2>/dev/null | grep '^peers:'
