"""The Potjans & Diesmann (2014) microcircuit in NEST, for side-by-side timing with examples/microcircuit.glia.

In: argv scale, duration_ms, threads, seed[, transient_ms = 100]. Out: one JSON line (the last on stdout):
build_s (ResetKernel, Create, Connect, Prepare; `import nest` not counted, it is import_s), sim_s (Run),
sim_s_per_bio_s, peak_rss_bytes (this process's max RSS), synapses, spikes per population over the whole run and
rates_hz per population over [transient, duration).

The parameters are the published ones (test/bench/microcircuit_params.py), as NEST's own PyNEST example
(Potjans_2014) sets them: iaf_psc_exp neurons, fixed_total_number connections with K = round(log(1-p) /
log((Npre Npost - 1) / (Npre Npost))) scaled by scale^2, weights normal(w, 0.1 |w|) redrawn to keep their sign
(87.8 pA, L4e -> L2/3e doubled, g = -4), delays normal(1.5 ms | 0.75 ms, 50 %) redrawn below the resolution, one
poisson_generator of 8 Hz * K_ext per population, weights / sqrt(scale) and a DC current restoring the full-scale
mean input at scale < 1 (NEST's helpers.adjust_weights_and_input_to_synapse_scaling). The recurrent connections
from each source population use their own copy of static_synapse, so that the full scale builds (NEST's limit of
2^27 connections per virtual process and synapse model); the network is the same.
.venv-peers/bin/python test/bench/nest/microcircuit_nest.py 0.1 1100 2 55
"""
import time

T_START = time.perf_counter()

import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import microcircuit_params as mc  # noqa: E402

import nest  # noqa: E402

T_IMPORTED = time.perf_counter()


def main():
    scale, duration, threads, seed, transient = mc.run_args(sys.argv)
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.set(resolution=mc.DT, local_num_threads=threads, rng_seed=seed, print_time=False)

    sq = math.sqrt(scale)
    nrn = mc.NEURON
    pops = []
    for a, n in enumerate(mc.sizes(scale)):
        pop = nest.Create(
            "iaf_psc_exp",
            n,
            params={
                "tau_m": nrn["tau_m"], "C_m": nrn["C_m"], "tau_syn_ex": nrn["tau_syn"], "tau_syn_in": nrn["tau_syn"],
                "E_L": nrn["E_L"], "V_th": nrn["V_th"], "V_reset": nrn["V_reset"], "t_ref": nrn["t_ref"],
                "I_e": mc.dc_pA(a, scale), "V_m": nest.random.normal(mean=nrn["V0_mean"], std=nrn["V0_sd"]),
            },
        )
        pops.append(pop)
    recorders = [nest.Create("spike_recorder") for _ in mc.POPS]
    # one copy of static_synapse per source population: NEST stores at most 2^27 - 2 connections per virtual
    # process and synapse model, and the full scale's 0.3e9 synapses on 2 VPs exceed that with one model (the
    # largest source population, L2/3e, sends 93.4e6); a copy is static_synapse itself, under another name
    syn = [f"static_synapse_{name}" for name in mc.POPS]
    for name in syn:
        nest.CopyModel("static_synapse", name)
    for a in range(8):
        for b in range(8):
            if mc.P[a][b] == 0:
                continue
            w = mc.w_mean(a, b) / sq
            lo, hi = (0.0, math.inf) if w > 0 else (-math.inf, 0.0)
            d = mc.delay_mean(b)
            nest.Connect(
                pops[b], pops[a],
                {"rule": "fixed_total_number", "N": mc.k_scaled(a, b, scale)},
                {
                    "synapse_model": syn[b],
                    "weight": nest.math.redraw(nest.random.normal(mean=w, std=abs(w) * 0.1), min=lo, max=hi),
                    "delay": nest.math.redraw(nest.random.normal(mean=d, std=0.5 * d), min=mc.DT, max=math.inf),
                },
            )
        pg = nest.Create("poisson_generator", params={"rate": mc.BG_RATE * mc.k_ext_scaled(a, scale)})
        nest.Connect(pg, pops[a], "all_to_all", {"weight": mc.W_E / sq, "delay": 1.5})
        nest.Connect(pops[a], recorders[a])
    nest.Prepare()
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    nest.Run(duration)
    sim_s = time.perf_counter() - t1
    nest.Cleanup()
    spikes, rates = {}, {}
    for a, name in enumerate(mc.POPS):
        times = recorders[a].get("events", "times")
        spikes[name] = len(times)
        late = sum(1 for t in times if t >= transient)
        rates[name] = late / (len(pops[a]) * (duration - transient) / 1000.0)
    out = {
        "simulator": "nest",
        "version": nest.__version__,
        "scale": scale,
        "threads": threads,
        "seed": seed,
        "duration_s": duration / 1000.0,
        "transient_s": transient / 1000.0,
        "dt_s": mc.DT / 1000.0,
        "neurons": sum(len(p) for p in pops),
        "import_s": T_IMPORTED - T_START,
        "build_s": build_s,
        "sim_s": sim_s,
        "sim_s_per_bio_s": sim_s / (duration / 1000.0),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        # recurrent + generator-to-neuron + neuron-to-recorder connections
        "synapses": nest.num_connections,
        "spikes": spikes,
        "rates_hz": rates,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
