#!/usr/bin/python3
"""brian2_bench.py -- glia's Brian2 driver for `glia bench`: CUBA or COBA on Brian2.

In: --model {cuba,coba} --n N --p P --duration SECONDS --seed S --device D.
Out: one JSON object on stdout (timings, spikes per population, synapses, synaptic events).

The networks use exactly the parameters of glia's examples/cuba.glia and examples/coba.glia
(Vogels & Abbott 2005 as in Brette et al. 2007, benchmarks 1 and 2): Ne = round(0.8 N) excitatory
and N - Ne inhibitory LIF neurons, fixed connection probability p with self-connections allowed,
no delays, refractory 5 ms clamping v, dt = 0.1 ms. Run with Debian's interpreter, which sees the
python3-brian package: /usr/bin/python3 brian2_bench.py --model cuba --n 4000 --duration 1
"""
import time

T_START = time.perf_counter()

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")  # Debian's pythran prints numpy FutureWarnings on import

import numpy as np  # noqa: E402
import brian2 as b2  # noqa: E402
from brian2 import ms, mV, second  # noqa: E402

T_IMPORTED = time.perf_counter()

# Each model: equations, integration method, threshold/reset, initial values and the two
# synaptic effects, mirroring the .glia example line for line.
MODELS = {
    "cuba": {
        "title": "CUBA",
        "namespace": {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                      "Vr": -60 * mV, "El": -49 * mV,
                      "we": 1.62 * mV,    # 60 * 0.27 / 10 mV
                      "wi": -9.0 * mV},   # -20 * 4.5 / 10 mV
        "equations": """
            dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
            dge/dt = -ge / taue : volt
            dgi/dt = -gi / taui : volt
        """,
        "method": "exact",
        "init": {"v": "Vr + rand() * (Vt - Vr)", "ge": "0*mV", "gi": "0*mV"},
    },
    "coba": {
        "title": "COBA",
        "namespace": {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                      "Vr": -60 * mV, "El": -60 * mV, "Ee": 0 * mV, "Ei": -80 * mV,
                      "we": 0.6,    # 6 nS relative to the 10 nS leak
                      "wi": 6.7},   # 67 nS relative to the 10 nS leak
        "equations": """
            dv/dt = (ge * (Ee - v) + gi * (Ei - v) - (v - El)) / taum : volt (unless refractory)
            dge/dt = -ge / taue : 1
            dgi/dt = -gi / taui : 1
        """,
        "method": "euler",
        "init": {"v": "-65*mV + 5*mV * randn()", "ge": "4 + 1.5 * randn()",
                 "gi": "20 + 12 * randn()"},
    },
}


def options():
    ap = argparse.ArgumentParser(description="Brian2 side of `glia bench`")
    ap.add_argument("--model", choices=sorted(MODELS), default="cuba")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--p", type=float, default=0.02)
    ap.add_argument("--duration", type=float, default=1.0, help="biological seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--device", choices=["cpp_standalone", "runtime"], default="cpp_standalone")
    return ap.parse_args()


def build_network(model, n, p):
    """The neuron group, its two synapse sets and a spike monitor; returns them in a dict."""
    ne = int(round(0.8 * n))
    group = b2.NeuronGroup(n, model["equations"], threshold="v > Vt", reset="v = Vr",
                           refractory=5 * ms, method=model["method"],
                           namespace=model["namespace"], name="neurons")
    for var, expr in model["init"].items():
        setattr(group, var, expr)
    exc = b2.Synapses(group[:ne], group, on_pre="ge += we", namespace=model["namespace"], name="exc_syn")
    inh = b2.Synapses(group[ne:], group, on_pre="gi += wi", namespace=model["namespace"], name="inh_syn")
    exc.connect(p=p)
    inh.connect(p=p)
    monitor = b2.SpikeMonitor(group, name="spike_monitor")
    return {"ne": ne, "group": group, "exc": exc, "inh": inh, "monitor": monitor,
            "net": b2.Network(group, exc, inh, monitor)}


# Brian runs the compiled binary through prefs.devices.cpp_standalone.run_cmd_unix; this wrapper
# runs it as its only child and writes the child's peak resident set (KiB on Linux) beside the results.
PEAK_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(['./main'] + sys.argv[1:])\n"
    "open('results/glia_bench_peak_rss_kib', 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def main():
    args = options()
    model = MODELS[args.model]
    standalone = args.device == "cpp_standalone"
    build_dir = tempfile.mkdtemp(prefix="glia_b2_") if standalone else None
    if standalone:
        b2.set_device("cpp_standalone", build_on_run=False)
        b2.prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, "-S", "-c", PEAK_RSS_WRAPPER]
    b2.defaultclock.dt = 0.1 * ms
    b2.seed(args.seed)

    t_setup = time.perf_counter()
    parts = build_network(model, args.n, args.p)
    t_run = time.perf_counter()
    parts["net"].run(args.duration * second)
    t_ran = time.perf_counter()
    times = {"import_s": T_IMPORTED - T_START, "setup_s": t_run - t_setup, "run_call_s": t_ran - t_run}
    binary_rss = None
    try:
        if standalone:
            # code generation + compile (make) first, then the binary on its own so that its
            # peak memory is not mixed up with the C++ compiler's
            b2.device.build(directory=build_dir, compile=True, run=False, with_output=False)
            t_built = time.perf_counter()
            b2.device.run(build_dir, with_output=False, run_args=[])
            t_done = time.perf_counter()
            with open(os.path.join(build_dir, "results", "glia_bench_peak_rss_kib")) as f:
                binary_rss = int(f.read()) * 1024
            times["codegen_make_s"] = t_built - t_ran
            times["binary_s"] = t_done - t_built
            total = t_done - t_setup
        else:
            total = t_ran - t_setup
        sim = float(b2.device._last_run_time)  # Brian's own timer around the simulation loop

        ne = parts["ne"]
        counts = np.asarray(parts["monitor"].count[:], dtype=np.int64)
        pre = np.concatenate([np.asarray(parts["exc"].i[:], dtype=np.int64),
                              np.asarray(parts["inh"].i[:], dtype=np.int64) + ne])
        out_degree = np.bincount(pre, minlength=args.n)
        events = int((counts * out_degree).sum())
    finally:
        if build_dir:
            shutil.rmtree(build_dir, ignore_errors=True)

    result = {
        "simulator": "brian2",
        "brian2_version": b2.__version__,
        "python": sys.executable,
        "model": model["title"],
        "device": args.device,
        "params": {"N": args.n, "Ne": parts["ne"], "Ni": args.n - parts["ne"], "p": args.p,
                   "duration_s": args.duration, "seed": args.seed, "dt_s": 1e-4},
        "sim_run_s": sim,
        "total_s": total,
        "timing": times,
        "spikes": {"exc": int(counts[:ne].sum()), "inh": int(counts[ne:].sum())},
        "spikes_total": int(counts.sum()),
        "synapses": int(len(pre)),
        "synaptic_events": events,
        "synaptic_events_per_s": events / sim if sim > 0 else None,
        "binary_peak_rss_bytes": binary_rss,
        "python_peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "loadavg_1m": os.getloadavg()[0],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
