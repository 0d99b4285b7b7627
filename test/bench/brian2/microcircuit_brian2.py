"""The Potjans & Diesmann (2014) microcircuit in Brian2 (cpp_standalone, OpenMP), for side-by-side timing with
examples/microcircuit.glia and test/bench/nest/microcircuit_nest.py.

In: argv scale, duration_ms, threads, seed[, transient_ms = 100]. Out: one JSON line (the last on stdout):
build_s (network description in Python, code generation, make, and the binary's part before the simulation loop),
sim_s (Brian's own timer around the loop), sim_s_per_bio_s, peak_rss_bytes (the compiled binary's max RSS; the
Python process's is python_peak_rss_bytes), synapses, spikes per population over the whole run and rates_hz per
population over [transient, duration).

The model is the published one (test/bench/microcircuit_params.py): iaf_psc_exp (exact integration), 8
populations in one NeuronGroup; every pair of populations connected with a fixed total number of synapses
round(K_full scale^2), each synapse's source and target drawn uniformly (multapses and autapses allowed, NEST's
fixed_total_number; numpy's generator, seeded); weights normal(w, 0.1 |w|) with w = 87.8 pA / sqrt(scale), g = -4,
L4e -> L2/3e doubled, redrawn where they lost their sign; delays normal(1.5 ms | 0.75 ms, 50 %) redrawn below
dt (six rounds, then clipped at dt: fewer than 1e-9 of them are left for the clip); K_ext Poisson inputs of 8 Hz
per neuron (PoissonInput, weight 87.8 pA / sqrt(scale)); the DC drive of scale < 1 as I_dc.
.venv-peers/bin/python test/bench/brian2/microcircuit_brian2.py 0.1 1100 2 55
"""
import time

T_START = time.perf_counter()

import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import microcircuit_params as mc  # noqa: E402

import numpy as np  # noqa: E402
import brian2 as b2  # noqa: E402
from brian2 import ms, mV, pA, pF, Hz, second  # noqa: E402

T_IMPORTED = time.perf_counter()

# Brian runs the compiled binary through prefs.devices.cpp_standalone.run_cmd_unix; this wrapper runs it as its
# only child and writes the child's peak resident set (KiB on Linux) beside the results.
PEAK_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(['./main'] + sys.argv[1:])\n"
    "open('results/glia_bench_peak_rss_kib', 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)

EQUATIONS = """
dv/dt = (E_L - v) / tau_m + (I_syn + I_dc) / C_m : volt (unless refractory)
dI_syn/dt = -I_syn / tau_syn : amp
I_dc : amp (constant)
pop : integer (constant)
"""
# mean weight and delay from the source's and target's population index (sources of even index are excitatory)
W_MEAN = "w_e * (int(pop_pre % 2 == 0) * (1 + int(pop_pre == 2 and pop_post == 0)) + g * int(pop_pre % 2 == 1))"
D_MEAN = "(0.75 * ms + 0.75 * ms * int(pop_pre % 2 == 0))"


def build(scale, threads, seed):
    nrn = mc.NEURON
    sq = math.sqrt(scale)
    ns = {"tau_m": nrn["tau_m"] * ms, "C_m": nrn["C_m"] * pF, "tau_syn": nrn["tau_syn"] * ms,
          "E_L": nrn["E_L"] * mV, "V_reset": nrn["V_reset"] * mV, "V_th": nrn["V_th"] * mV,
          "w_e": mc.W_E / sq * pA, "g": mc.G_REL, "dt_min": mc.DT * ms}
    sizes = mc.sizes(scale)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    group = b2.NeuronGroup(int(offsets[-1]), EQUATIONS, threshold="v >= V_th", reset="v = V_reset",
                           refractory=nrn["t_ref"] * ms, method="exact", namespace=ns, name="neurons")
    group.v = f"{nrn['V0_mean']}*mV + {nrn['V0_sd']}*mV * randn()"
    inputs = []
    for a in range(8):
        sub = group[offsets[a]:offsets[a + 1]]
        sub.I_dc = mc.dc_pA(a, scale) * pA
        sub.pop = a
        inputs.append(b2.PoissonInput(sub, "I_syn", N=mc.k_ext_scaled(a, scale), rate=mc.BG_RATE * Hz,
                                      weight=mc.W_E / sq * pA))
    syn = b2.Synapses(group, group, model="w : amp (constant)", on_pre="I_syn_post += w", namespace=ns,
                      name="recurrent")
    rng = np.random.default_rng(seed)
    for a in range(8):
        for b in range(8):
            k = mc.k_scaled(a, b, scale) if mc.P[a][b] > 0 else 0
            if k == 0:
                continue
            pre = rng.integers(offsets[b], offsets[b + 1], size=k, dtype=np.int32)
            post = rng.integers(offsets[a], offsets[a + 1], size=k, dtype=np.int32)
            syn.connect(i=pre, j=post)
    syn.w = f"{W_MEAN} * (1 + 0.1 * randn())"
    syn.w["w * ({W}) < 0 * amp * amp".format(W=W_MEAN)] = f"{W_MEAN} * (1 + 0.1 * randn())"
    syn.delay = f"{D_MEAN} * (1 + 0.5 * randn())"
    for _ in range(5):
        syn.delay["delay < dt_min"] = f"{D_MEAN} * (1 + 0.5 * randn())"
    syn.delay["delay < dt_min"] = "dt_min"
    monitor = b2.SpikeMonitor(group, name="spikes")
    net = b2.Network(group, syn, monitor, *inputs)
    return {"net": net, "syn": syn, "monitor": monitor, "offsets": offsets}


def main():
    scale, duration, threads, seed, transient = mc.run_args(sys.argv)
    build_dir = tempfile.mkdtemp(prefix="glia_b2mc_")
    b2.set_device("cpp_standalone", build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = threads
    b2.prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, "-S", "-c", PEAK_RSS_WRAPPER]
    b2.defaultclock.dt = mc.DT * ms
    b2.seed(seed)
    try:
        t0 = time.perf_counter()
        parts = build(scale, threads, seed)
        parts["net"].run(duration * ms)
        t_described = time.perf_counter()
        b2.device.build(directory=build_dir, compile=True, run=False, with_output=False)
        t_built = time.perf_counter()
        b2.device.run(build_dir, with_output=False, run_args=[])
        t_done = time.perf_counter()
        with open(os.path.join(build_dir, "results", "glia_bench_peak_rss_kib")) as f:
            binary_rss = int(f.read()) * 1024
        sim_s = float(b2.device._last_run_time)
        total_s = t_done - t0
        offsets = parts["offsets"]
        idx = np.asarray(parts["monitor"].i[:])
        t = np.asarray(parts["monitor"].t[:] / ms)
        synapses = int(len(parts["syn"]))
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
    spikes, rates = {}, {}
    for a, name in enumerate(mc.POPS):
        mine = (idx >= offsets[a]) & (idx < offsets[a + 1])
        spikes[name] = int(mine.sum())
        late = int((mine & (t >= transient)).sum())
        rates[name] = late / (int(offsets[a + 1] - offsets[a]) * (duration - transient) / 1000.0)
    out = {
        "simulator": "brian2",
        "version": b2.__version__,
        "device": "cpp_standalone",
        "scale": scale,
        "threads": threads,
        "seed": seed,
        "duration_s": duration / 1000.0,
        "transient_s": transient / 1000.0,
        "dt_s": mc.DT / 1000.0,
        "neurons": int(offsets[-1]),
        "import_s": T_IMPORTED - T_START,
        "build_s": total_s - sim_s,
        "sim_s": sim_s,
        "sim_s_per_bio_s": sim_s / (duration / 1000.0),
        "timing": {"describe_s": t_described - t0, "codegen_make_s": t_built - t_described,
                   "binary_s": t_done - t_built},
        "peak_rss_bytes": binary_rss,
        "python_peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "synapses": synapses,
        "spikes": spikes,
        "rates_hz": rates,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
