// The fixed parts of an exported Brian2 script: imports, the CSV loader, glia's number formatting and the
// writers of glia's `--out` files (spikes.csv, traces.csv, synapses.csv, rates.csv, summary.json). In: nothing; out: Python
// text the generator (script.ts) places around the network it builds.

import { PY_JSNUM, PY_LOAD, PY_RATES, PY_SYNAPSES } from "../python-num.js";

/** Imports and helpers, before the network. */
export const PRELUDE = `import argparse
import json
import os
import time

import numpy as np
import brian2 as b2
from brian2 import (amp, coulomb, farad, hertz, joule, kelvin, kilogram, metre, mmolar, mole, ohm,
                    second, siemens, volt, watt)

HERE = os.path.dirname(os.path.abspath(__file__))


${PY_LOAD}${PY_JSNUM}def time_text(k):
    return jsnum(float("%.12g" % (k * DT)))


${PY_RATES}${PY_SYNAPSES}`;

/** Running, and the output files in glia's formats. */
export const POSTLUDE = `

POISSON = "brian2"


def simulate(data, out, steps, seed, device="numpy", poisson="brian2"):
    """Builds the network from the files in \`data\`, runs \`steps\` steps, writes glia's output files into \`out\`.
    poisson: "brian2" (Brian2 draws Poisson spikes, seeded by \`seed\`) or "glia" (the spikes glia drew)."""
    global POISSON
    POISSON = poisson
    if device == "cpp_standalone":
        # the whole run as one generated C++ program (compiled with the system's C++ compiler when net.run runs);
        # sim_wall_s then includes code generation and compilation
        # (reinit_devices: a second standalone run in the same process starts from a fresh device)
        from brian2.devices import reinit_devices
        reinit_devices()
        b2.set_device("cpp_standalone", directory=os.path.join(out, "cpp_standalone"), build_on_run=True)
    else:
        b2.set_device("runtime")
        b2.prefs.codegen.target = device
    b2.defaultclock.dt = DT * second
    b2.seed(seed)
    t0 = time.time()
    net, groups, spike_mons, state_mons, syn_mons = build(data)
    t1 = time.time()
    net.run(steps * DT * second)
    t2 = time.time()
    os.makedirs(out, exist_ok=True)
    spikes = {name: (np.zeros(0, np.int64), np.zeros(0, np.int64)) for name in groups}
    for name, mon in spike_mons.items():
        k = np.rint(np.asarray(mon.t / second) / DT).astype(np.int64)
        e = np.asarray(mon.i, dtype=np.int64)
        if name in COUNT_SOURCES:  # a poisson_count element is listed once per event
            events = np.asarray(mon.events, dtype=np.int64)
            k, e = np.repeat(k, events), np.repeat(e, events)
        order = np.lexsort((e, k))
        spikes[name] = (k[order], e[order])
    lines = ["population,index,step,time_s"]
    for name in sorted(SPIKE_RECORDS):
        k, e = spikes[name]
        lines += ["%s,%d,%d,%s" % (name, e[x], k[x], time_text(k[x])) for x in range(len(k))]
    write(out, "spikes.csv", lines)
    if STATE_RECORDS:
        lines = ["population,variable,index,step,time_s,value"]
        for (pop, var, start, end, every, unit), mon in zip(STATE_RECORDS, state_mons):
            values = np.asarray(getattr(mon, var) / unit)
            for row in range(min(values.shape[1], (steps + every - 1) // every)):
                k = row * every
                lines += ["%s,%s,%d,%d,%s,%s" % (pop, var, start + c, k, time_text(k), jsnum(values[c, row]))
                          for c in range(end - start)]
        write(out, "traces.csv", lines)
    if SYNAPSE_RECORDS:
        values = [None if m is None else np.asarray(getattr(m, rec[6][0]) / rec[6][1]).T
                  for rec, m in zip(SYNAPSE_RECORDS, syn_mons)]
        write(out, "synapses.csv", synapse_lines(data, steps, values))
    if RATE_RECORDS:
        write(out, "rates.csv", rate_lines(RATE_RECORDS, spikes, steps))
    populations = {}
    for name in sorted(groups):
        n = SIZES[name]
        count = int(len(spikes[name][0]))
        populations[name] = {"n": n, "spikes": count, "rate_hz": count / (n * steps * DT) if n and steps else 0.0}
    summary = {
        "network": NETWORK, "target": "brian2", "brian2_version": b2.__version__, "dt_s": DT, "steps": steps,
        "duration_s": steps * DT, "seed": seed, "poisson": poisson, "populations": populations,
        "spikes_total": sum(p["spikes"] for p in populations.values()),
        "setup_wall_s": t1 - t0, "sim_wall_s": t2 - t1,
    }
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\\n")
    return summary


def write(out, name, lines):
    with open(os.path.join(out, name), "w") as f:
        f.write("\\n".join(lines) + "\\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(HERE, "data"), help="glia's network files (default: data/)")
    ap.add_argument("--out", default=os.path.join(HERE, "out"), help="output directory (default: out/)")
    ap.add_argument("--steps", type=int, default=STEPS, help="steps of dt to run (default: the model's run)")
    ap.add_argument("--seed", type=int, default=SEED, help="Brian2's seed (Poisson inputs); the network files "
                    "were built by glia with the model's seed")
    ap.add_argument("--device", default="numpy", choices=["numpy", "cython", "cpp_standalone"],
                    help="Brian2 code generation target, or the C++ standalone device (compiles the network)")
    ap.add_argument("--poisson", default="brian2", choices=["brian2", "glia"],
                    help="Poisson inputs drawn by Brian2 (default) or the spikes glia drew (data/poisson_*.csv)")
    args = ap.parse_args()
    s = simulate(args.data, args.out, args.steps, args.seed, args.device, args.poisson)
    print(json.dumps({k: s[k] for k in ("network", "steps", "spikes_total", "sim_wall_s")}))


if __name__ == "__main__":
    main()
`;
