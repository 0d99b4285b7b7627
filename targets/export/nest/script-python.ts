// The fixed Python of an exported NEST script (run.py): the prelude (imports, the data loaders, per-node setters
// under MPI, building and loading the export's NESTML module) and the postlude (gathering every process's records,
// writing glia's --out files, the command line). In: nothing; out: the two texts script.ts puts around the network.

import { PY_JSNUM, PY_LOAD, PY_RATES, PY_SYNAPSES } from "../python-num.js";

export const PRELUDE = `import argparse
import fcntl
import json
import os
import sys
import time

import numpy as np
import nest

HERE = os.path.dirname(os.path.abspath(__file__))


${PY_LOAD}${PY_JSNUM}

def time_text(k):
    return jsnum(float("%.12g" % (k * DT)))


${PY_RATES}${PY_SYNAPSES}_LOADED = set()


def setp(pop, name, values):
    """Sets a per-node value (values in node order); under MPI only on the nodes this process owns."""
    values = np.asarray(values, dtype=float)
    if nest.NumProcesses() == 1:
        pop.set({name: list(values)})
        return
    local = nest.GetLocalNodeCollection(pop)
    if len(local):
        at = np.searchsorted(np.asarray(pop.tolist()), np.asarray(local.tolist()))
        local.set({name: list(values[at])})


def load_modules():
    """Builds the export's NESTML module (nestml/*.nestml) with NESTML the first time, into nestml_build/MODULE (the
    module's name is a hash of its models: a re-run loads the built library), and installs it into NEST."""
    if NESTML is None or NESTML["module"] in _LOADED:
        return
    # GLIA_NESTML_CACHE: a directory shared by exports (the tests'), else nestml_build/ next to this script
    root = os.path.join(os.environ.get("GLIA_NESTML_CACHE") or os.path.join(HERE, "nestml_build"), NESTML["module"])
    lib = os.path.join(root, "install", NESTML["module"] + ".so")
    if not os.path.exists(lib) and nest.Rank() == 0:
        os.makedirs(root, exist_ok=True)
        # one build per module: scripts that share the cache and start together wait here for the first one's
        with open(os.path.join(root, "build.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not os.path.exists(lib):
                build_module(root, lib)
    if nest.NumProcesses() > 1:
        nest.SyncProcesses()
    nest.Install(lib[:-3])
    _LOADED.add(NESTML["module"])


def build_module(root, lib):
    """NESTML's code generator and NEST's build of the export's module into ROOT (src/, install/)."""
    from pynestml.frontend.pynestml_frontend import generate_nest_target
    t = time.time()
    os.makedirs(os.path.join(root, "src"), exist_ok=True)
    try:
        generate_nest_target(input_path=[os.path.join(HERE, f) for f in NESTML["files"]],
                             target_path=os.path.join(root, "src"), install_path=os.path.join(root, "install"),
                             module_name=NESTML["module"], logging_level="ERROR",
                             codegen_opts={"nest_version": "v" + nest.__version__,
                                           "neuron_synapse_pairs": NESTML["pairs"],
                                           # every synapse variable stays in the synapse (NESTML would move one
                                           # only on post assigns into the neuron, one per neuron)
                                           "strictly_synaptic_vars": NESTML["state"],
                                           # a post port's value at the postsynaptic spike (glia's on post)
                                           "continuous_state_buffering_method": "post_spike_based",
                                           "weight_variable": {n: "nest_weight" for n in NESTML["synapses"]}})
    except Exception as err:  # NESTML raises on some failures and only logs others: the library decides below
        print("nestml: %s" % err, file=sys.stderr, flush=True)
    if not os.path.exists(lib):
        sys.exit("nestml: building %s failed (NESTML's messages above): no %s" % (NESTML["module"], lib))
    print("nestml: built %s in %.1f s" % (NESTML["module"], time.time() - t), flush=True)


def receptor(nodes, port):
    """The receptor type of a NESTML neuron's spike input port (0 when it has one port)."""
    types = nodes[0].get("receptor_types") if "receptor_types" in nodes[0].get() else {}
    for name, r in (types or {}).items():
        if name.lower() == port.lower():
            return r
    return 0`;

export const POSTLUDE = `

def gather(out, devices):
    """The events of each recording device, from every MPI process (NEST records a neuron's events in the process
    that owns it): each process writes its own to OUT, rank 0 merges them after a barrier; other ranks get None."""
    local = {n: {k: np.asarray(v).tolist() for k, v in d.get("events").items()} for n, d in devices.items()}
    if nest.NumProcesses() == 1:
        return local
    os.makedirs(out, exist_ok=True)
    mine = os.path.join(out, ".events_rank%d.json" % nest.Rank())
    with open(mine, "w") as f:
        json.dump(local, f)
    nest.SyncProcesses()
    if nest.Rank() != 0:
        return None
    merged = {n: {k: [] for k in local[n]} for n in local}
    for r in range(nest.NumProcesses()):
        part = os.path.join(out, ".events_rank%d.json" % r)
        with open(part) as f:
            events = json.load(f)
        os.remove(part)
        for n in merged:
            for k in merged[n]:
                merged[n][k] += events[n][k]
    return merged


def run_recording(nodes, steps):
    """Runs up to the last step a synapse record is due at (the rest is the caller's), reading each record's
    connections at steps 0, every, ... : NEST's state after k steps, glia's at the start of step k. A NESTML synapse
    changes its state when a spike reaches it (a postsynaptic spike's change waits for the next presynaptic one, as
    the synapse is updated lazily). Connections are put in glia's synapse order (pre, post, then creation order).
    Returns (steps run, values per record: rows = recorded steps, columns = its synapses; None for parameters), or
    (steps run, None) under MPI (each process holds only its own connections)."""
    if not any(rec[4] is None for rec in SYNAPSE_RECORDS):
        return 0, [None] * len(SYNAPSE_RECORDS)
    if nest.NumProcesses() > 1:
        print("synapse records are not written under MPI", flush=True)
        return 0, None
    reads = []
    for proj, var, sel, every, source, suffix, eng in SYNAPSE_RECORDS:
        if source is not None:
            reads.append(None)
            continue
        model, pre, post, name = eng
        conns = nest.GetConnections(source=nodes[pre], target=nodes[post], synapse_model=model)
        st = {k: np.atleast_1d(v) for k, v in conns.get(["source", "target", "port"]).items()}
        order = np.lexsort((st["port"], st["target"], st["source"]))
        reads.append((conns, order[np.asarray(list(sel), dtype=np.int64)], name))
    points = sorted({k for rec in SYNAPSE_RECORDS if rec[4] is None for k in range(0, steps, rec[3])})
    values = [None if r is None else [] for r in reads]
    done = 0
    for k in points:
        if k > done:
            advance(nodes, round((k - done) * DT * 1e3, 9))
            done = k
        for n, rec in enumerate(SYNAPSE_RECORDS):
            if reads[n] is not None and k % rec[3] == 0:
                conns, at, name = reads[n]
                values[n].append(np.asarray(np.atleast_1d(conns.get(name)), dtype=float)[at])
    return done, values


def simulate(data, out, steps, seed, threads=1, poisson="glia", vps=None):
    """Builds the network from \`data\`, runs \`steps\` steps on \`threads\` threads (or \`vps\` virtual processes over
    the MPI processes), writes spikes.csv and summary.json (rank 0 under MPI; other ranks return None)."""
    global POISSON
    POISSON = poisson
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.SetKernelStatus({"resolution": DT * 1e3, "rng_seed": seed})
    if vps:
        # the same number of virtual processes gives the same network and spikes for any number of MPI processes
        nest.SetKernelStatus({"total_num_virtual_procs": vps})
    else:
        nest.SetKernelStatus({"local_num_threads": threads})
    load_modules()
    t0 = time.time()
    nodes, recorders, meters = build(data)
    t1 = time.time()
    # synapse records: the run in chunks, each record's connections read at the start of its steps (run_recording)
    syn_values = run_recording(nodes, steps)
    # multimeters hand over their samples one min_delay late: run that much longer, keep the first \`steps\` steps
    rest = round((steps - syn_values[0]) * DT * 1e3, 9) + (nest.GetKernelStatus("min_delay") if STATE_RECORDS else 0)
    if rest > 0:
        advance(nodes, rest)  # couplings step by step, current stimuli's first steps one at a time
    t2 = time.time()
    events = gather(out, {**{"spikes " + n: r for n, r in recorders.items()}, **{"meter %d" % i: m for i, m in enumerate(meters)}})
    if events is None:
        return None
    os.makedirs(out, exist_ok=True)
    spikes = {}
    for name, rec in recorders.items():
        ev = events["spikes " + name]
        first = nodes[name].tolist()[0]
        k = np.rint(np.asarray(ev["times"]) / (DT * 1e3)).astype(np.int64) - 1  # NEST stamps the end of the step
        e = np.asarray(ev["senders"], dtype=np.int64) - first
        e, k = e[k < steps], k[k < steps]
        order = np.lexsort((e, k))
        spikes[name] = (k[order], e[order])
    for name in SOURCES:
        src = None
        for f in ("src_%s.csv" % name, "poisson_%s.csv" % name):
            if os.path.exists(os.path.join(data, f)) and "step" in open(os.path.join(data, f)).readline():
                src = load(data, f)
        if src is not None and name not in recorders:
            k = src["step"].astype(np.int64)
            e = src["index"].astype(np.int64)
            inside = k < steps
            spikes[name] = (k[inside], e[inside])
    lines = ["population,index,step,time_s"]
    for name in sorted(SPIKE_RECORDS):
        k, e = spikes[name]
        lines += ["%s,%d,%d,%s" % (name, e[x], k[x], time_text(k[x])) for x in range(len(k))]
    with open(os.path.join(out, "spikes.csv"), "w") as f:
        f.write("\\n".join(lines) + "\\n")
    if STATE_RECORDS:
        lines = ["population,variable,index,step,time_s,value"]
        for i, (pop, var, rec, factor, start, end, every) in enumerate(STATE_RECORDS):
            ev = events["meter %d" % i]
            first = nodes[pop].tolist()[0]
            values = np.full((steps, end - start), np.nan)
            values[0, :] = load(data, "pop_%s.csv" % pop)[var][start:end]
            k = np.rint(np.asarray(ev["times"]) / (DT * 1e3)).astype(np.int64)
            e = np.asarray(ev["senders"], dtype=np.int64) - first - start
            inside = k < steps
            values[k[inside], e[inside]] = np.asarray(ev[rec])[inside] * factor
            for k in range(0, steps, every):
                lines += ["%s,%s,%d,%d,%s,%s" % (pop, var, start + c, k, time_text(k), jsnum(values[k, c]))
                          for c in range(end - start)]
        with open(os.path.join(out, "traces.csv"), "w") as f:
            f.write("\\n".join(lines) + "\\n")
    if NESTML_PROJECTIONS and nest.NumProcesses() == 1:
        # the synapse state of NESTML projections at the end of the run (glia's SI values), one row per synapse
        lines = ["projection,pre,post,variable,value"]
        for proj, (model, pre, post, variables) in NESTML_PROJECTIONS.items():
            conns = nest.GetConnections(source=presynaptic(nodes, proj, pre), target=nodes[post], synapse_model=model)
            first_pre, first_post = nodes[pre].tolist()[0], nodes[post].tolist()[0]
            st = {k: np.atleast_1d(v) for k, v in conns.get(["source", "target"] + list(variables)).items()}
            st["source"] = pre_ids(nodes, proj, pre, st["source"])
            order = np.lexsort((st["target"], st["source"]))
            for var in variables:
                vals = np.asarray(st[var], dtype=float)
                lines += ["%s,%d,%d,%s,%s" % (proj, st["source"][i] - first_pre, st["target"][i] - first_post, var,
                                              jsnum(vals[i])) for i in order]
        with open(os.path.join(out, "synapses_final.csv"), "w") as f:
            f.write("\\n".join(lines) + "\\n")
    if SYNAPSE_RECORDS and syn_values[1] is not None:
        with open(os.path.join(out, "synapses.csv"), "w") as f:
            f.write("\\n".join(synapse_lines(data, steps, syn_values[1])) + "\\n")
    if RATE_RECORDS:
        with open(os.path.join(out, "rates.csv"), "w") as f:
            f.write("\\n".join(rate_lines(RATE_RECORDS, spikes, steps)) + "\\n")
    populations = {}
    for name in sorted(nodes):
        n = SIZES[name]
        if name in UNRECORDED:
            # a poisson_count input is NEST's poisson_generator, one train per connection: no spike_recorder sees it
            populations[name] = {"n": n, "spikes": None, "rate_hz": None, "not_recorded": "poisson_generator"}
            continue
        count = int(len(spikes[name][0])) if name in spikes else 0
        populations[name] = {"n": n, "spikes": count, "rate_hz": count / (n * steps * DT) if n and steps else 0.0}
    summary = {
        "network": NETWORK, "target": "nest", "nest_version": nest.__version__, "dt_s": DT, "steps": steps,
        "duration_s": steps * DT, "seed": seed, "threads": nest.GetKernelStatus("local_num_threads"),
        "processes": nest.NumProcesses(), "virtual_processes": nest.GetKernelStatus("total_num_virtual_procs"),
        "poisson": poisson, "populations": populations,
        "spikes_total": sum(p["spikes"] for p in populations.values() if p["spikes"] is not None),
        "setup_wall_s": t1 - t0, "sim_wall_s": t2 - t1,
    }
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\\n")
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(HERE, "data"), help="glia's network files (default: data/)")
    ap.add_argument("--out", default=os.path.join(HERE, "out"), help="output directory (default: out/)")
    ap.add_argument("--steps", type=int, default=STEPS, help="steps of dt to run (default: the model's run)")
    ap.add_argument("--seed", type=int, default=SEED, help="NEST's rng_seed")
    ap.add_argument("--threads", type=int, default=1, help="NEST's local_num_threads")
    ap.add_argument("--vps", type=int, default=None,
                    help="NEST's total_num_virtual_procs, split over the MPI processes (mpirun -np P python run.py "
                         "--vps V: the same spikes for every P dividing V)")
    ap.add_argument("--poisson", choices=["glia", "nest"], default="glia",
                    help="Poisson inputs: glia's draws replayed (default, step for step) or NEST's poisson_generator")
    args = ap.parse_args()
    s = simulate(args.data, args.out, args.steps, args.seed, args.threads, args.poisson, args.vps)
    if s is not None:
        print(json.dumps({k: s[k] for k in ("network", "steps", "spikes_total", "sim_wall_s")}))


if __name__ == "__main__":
    main()
`;
