#!/bin/sh
# CUBA 1 s on glia (wasm, reference) and on the exported Brian2 (numpy, cpp_standalone) and NEST (1 and 2 threads) scripts, one
# after the other in one run, for docs/export.md. In: a built tree (npm run build) and .venv-peers; out: one line
# per run (simulation wall time as each engine reports it, spike counts) and the load average before and after.
# Usage: sh test/peers/export/cuba-runtimes.sh [WORKDIR]
set -e
W=${1:-$(mktemp -d)}
PY=.venv-peers/bin/python
echo "load before: $(uptime)"
node bin/glia.js export examples/cuba.glia --to brian2 -o "$W/brian2" >/dev/null
node bin/glia.js export examples/cuba.glia --to nest -o "$W/nest" >/dev/null
echo "glia wasm: $(node bin/glia.js run examples/cuba.glia | grep -E 'exc |inh |simulation' | tr -s ' ' | tr '\n' ';')"
echo "glia reference: $(node bin/glia.js run examples/cuba.glia --target reference | grep -E 'exc |inh |simulation' | tr -s ' ' | tr '\n' ';')"
summary() { $PY -c "import json,sys; s=json.load(open(sys.argv[1])); print('sim %.2f s, setup %.2f s,' % (s['sim_wall_s'], s['setup_wall_s']), {k: v['spikes'] for k, v in s['populations'].items()})" "$1"; }
$PY "$W/brian2/run.py" --device numpy --poisson glia --out "$W/b2-out" >/dev/null 2>&1
echo "brian2 numpy: $(summary "$W/b2-out/summary.json")"
$PY "$W/brian2/run.py" --device cpp_standalone --poisson glia --out "$W/b2cpp-out" >/dev/null 2>&1
echo "brian2 cpp_standalone (sim includes code generation and compilation): $(summary "$W/b2cpp-out/summary.json")"
cmp -s "$W/b2-out/spikes.csv" "$W/b2cpp-out/spikes.csv" && echo "brian2 numpy and cpp_standalone: the same spikes.csv"
$PY "$W/nest/run.py" --threads 1 --out "$W/nest1-out" >/dev/null 2>&1
echo "nest 1 thread: $(summary "$W/nest1-out/summary.json")"
$PY "$W/nest/run.py" --threads 2 --out "$W/nest2-out" >/dev/null 2>&1
echo "nest 2 threads: $(summary "$W/nest2-out/summary.json")"
cmp -s "$W/nest1-out/spikes.csv" "$W/nest2-out/spikes.csv" && echo "nest 1 and 2 threads: the same spikes.csv"
echo "load after: $(uptime)"
