"""The Potjans & Diesmann (2014) microcircuit's published parameters, for the NEST and Brian2 bench drivers.

In: nothing (tables and small functions); out: population names, full-scale sizes, K_ext, the full-scale mean
rates used for the DC compensation, the connection probability table P[post][pre], the full-scale synapse counts
(P&D 2014 eq. 1), mean weights (87.8 pA, g = -4, L4e -> L2/3e doubled), mean delays and the scaled-down DC drive;
and the drivers' shared command line (run_args).
The values are those of examples/microcircuit.glia (and NEST's PyNEST example Potjans_2014), written out here.
"""
import math

POPS = ["L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"]
N_FULL = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
RATES_FULL = [0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851]  # Hz, NEST's full_mean_rates
# P[post][pre], populations in POPS order (P&D 2014, Table 5)
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
W_E = 87.8  # pA, the PSC amplitude of a 0.15 mV PSP
G_REL = -4.0
TAU_SYN = 0.5  # ms
BG_RATE = 8.0  # Hz per external input
DT = 0.1  # ms
# iaf_psc_exp (P&D 2014, Table 5)
NEURON = {"tau_m": 10.0, "C_m": 250.0, "tau_syn": TAU_SYN, "E_L": -65.0, "V_reset": -65.0, "V_th": -50.0,
          "t_ref": 2.0, "V0_mean": -58.0, "V0_sd": 10.0}


def k_full(a, b):
    """Full-scale synapse count from population b onto population a (P&D 2014 eq. 1)."""
    prod = N_FULL[a] * N_FULL[b]
    return round_half_up(math.log(1 - P[a][b]) / math.log((prod - 1) / prod))


def w_mean(a, b):
    """Mean full-scale weight (pA) from b onto a."""
    w = W_E if b % 2 == 0 else G_REL * W_E
    return 2 * w if (a, b) == (0, 2) else w


def delay_mean(b):
    """Mean delay (ms) of population b's synapses (sd: half of it)."""
    return 1.5 if b % 2 == 0 else 0.75


def round_half_up(x):
    """floor(x + 0.5), as examples/microcircuit.glia rounds (Python's round() rounds halves to even)."""
    return math.floor(x + 0.5)


def sizes(scale):
    return [round_half_up(n * scale) for n in N_FULL]


def k_scaled(a, b, scale):
    return round_half_up(k_full(a, b) * scale * scale)


def k_ext_scaled(a, scale):
    return round_half_up(K_EXT[a] * scale)


def dc_pA(a, scale):
    """DC drive restoring the full-scale mean input at scale < 1 (0 at scale 1): tau_syn (1 - sqrt(scale)) x
    (recurrent + external mean input), as NEST's helpers.adjust_weights_and_input_to_synapse_scaling."""
    rec = sum(w_mean(a, b) * k_full(a, b) / N_FULL[a] * RATES_FULL[b] for b in range(8) if P[a][b] > 0)
    ext = W_E * K_EXT[a] * BG_RATE
    return 0.001 * TAU_SYN * (1 - math.sqrt(scale)) * (rec + ext)


def run_args(argv):
    """The drivers' command line: scale, duration_ms, threads, seed (55), transient_ms (100)."""
    scale = float(argv[1])
    duration = float(argv[2])
    threads = int(argv[3])
    seed = int(argv[4]) if len(argv) > 4 else 55
    transient = float(argv[5]) if len(argv) > 5 else 100.0
    return scale, duration, threads, seed, transient
