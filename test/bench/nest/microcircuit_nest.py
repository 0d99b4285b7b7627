"""The Potjans & Diesmann (2014) microcircuit in NEST, for side-by-side timing with examples/microcircuit.glia.

In: argv scale, duration_ms, threads, seed. Out: one JSON line: build_s (Create + Connect), sim_s (Simulate),
sim_s_per_bio_s, peak_rss_bytes (this process), synapses, per-population rates over [100 ms, duration).

The parameters are the published ones, as NEST's own PyNEST example (Potjans_2014) sets them: iaf_psc_exp
neurons, fixed_total_number connections with K = round(log(1-p) / log((Npre Npost - 1) / (Npre Npost))) scaled
by scale^2, weights normal(w, 0.1 |w|) redrawn to keep their sign (87.8 pA, L4e -> L2/3e doubled, g = -4),
delays normal(1.5 ms | 0.75 ms, 50 %) redrawn below the resolution, one poisson_generator of 8 Hz * K_ext per
population, weights / sqrt(scale) and a DC current restoring the full-scale mean input at scale < 1 (NEST's
helpers.adjust_weights_and_input_to_synapse_scaling). The values are written out here, not imported.
"""
import json
import math
import resource
import sys
import time

import nest

POPS = ["L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"]
N_FULL = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
RATES_FULL = [0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851]
P = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
]
W_E = 87.8  # pA
TAU_SYN = 0.5  # ms


def main():
    scale = float(sys.argv[1])
    duration = float(sys.argv[2])
    threads = int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 55
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.set(resolution=0.1, local_num_threads=threads, rng_seed=seed, print_time=False)

    def k_full(a, b):
        prod = N_FULL[a] * N_FULL[b]
        return round(math.log(1 - P[a][b]) / math.log((prod - 1) / prod))

    def w_mean(a, b):
        w = W_E if b % 2 == 0 else -4 * W_E
        return 2 * w if (a, b) == (0, 2) else w

    sq = math.sqrt(scale)
    pops = []
    for a in range(8):
        rec = sum(w_mean(a, b) * k_full(a, b) / N_FULL[a] * RATES_FULL[b] for b in range(8) if P[a][b] > 0)
        ext = W_E * K_EXT[a] * 8.0
        dc = 0.001 * TAU_SYN * (1 - sq) * (rec + ext)  # pA
        pop = nest.Create(
            "iaf_psc_exp",
            round(N_FULL[a] * scale),
            params={
                "tau_m": 10.0, "C_m": 250.0, "tau_syn_ex": TAU_SYN, "tau_syn_in": TAU_SYN, "E_L": -65.0,
                "V_th": -50.0, "V_reset": -65.0, "t_ref": 2.0, "I_e": dc,
                "V_m": nest.random.normal(mean=-58.0, std=10.0),
            },
        )
        pops.append(pop)
    recorders = [nest.Create("spike_recorder", params={"start": 100.0}) for _ in POPS]
    for a in range(8):
        for b in range(8):
            if P[a][b] == 0:
                continue
            w = w_mean(a, b) / sq
            lo, hi = (0.0, math.inf) if w > 0 else (-math.inf, 0.0)
            d = 1.5 if b % 2 == 0 else 0.75
            nest.Connect(
                pops[b], pops[a],
                {"rule": "fixed_total_number", "N": round(k_full(a, b) * scale * scale)},
                {
                    "synapse_model": "static_synapse",
                    "weight": nest.math.redraw(nest.random.normal(mean=w, std=abs(w) * 0.1), min=lo, max=hi),
                    "delay": nest.math.redraw(nest.random.normal(mean=d, std=0.5 * d), min=0.1, max=math.inf),
                },
            )
        pg = nest.Create("poisson_generator", params={"rate": 8.0 * round(K_EXT[a] * scale)})
        nest.Connect(pg, pops[a], "all_to_all", {"weight": W_E / sq, "delay": 1.5})
        nest.Connect(pops[a], recorders[a])
    nest.Prepare()
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    nest.Run(duration)
    sim_s = time.perf_counter() - t1
    nest.Cleanup()
    rates = {}
    for a, name in enumerate(POPS):
        n = recorders[a].get("n_events")
        rates[name] = n / (len(pops[a]) * (duration - 100.0) / 1000.0)
    out = {
        "nest_version": nest.__version__,
        "scale": scale,
        "threads": threads,
        "duration_s": duration / 1000.0,
        "build_s": build_s,
        "sim_s": sim_s,
        "sim_s_per_bio_s": sim_s / (duration / 1000.0),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "synapses": nest.num_connections,
        "rates_hz_from_100ms": rates,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
