// The run.py a SANA-FE export writes. In: the SANA-FE groups of each glia population and the steps; out: the
// script text. The script loads arch.yaml (or --arch) and network.yaml with the sanafe package, runs the steps
// (timing model "detailed" unless --timing says otherwise; --arch bundled-loihi: the loihi.yaml SANA-FE ships) and writes OUT/summary.json: spikes per glia
// population, SANA-FE's energy by component, simulated time, per-run totals of its counters (messages, hops,
// synaptic events, neuron updates) and the wall seconds of loading and of the step loop.

export function runScript(groups: Map<string, string[]>, steps: number): string {
  const pops = JSON.stringify(Object.fromEntries(groups));
  return `# Written by glia (glia export --to sanafe): runs network.yaml on arch.yaml with SANA-FE, writes OUT/summary.json.
import argparse, json, os, time
import sanafe

POPULATIONS = json.loads(${JSON.stringify(pops)})
HERE = os.path.dirname(os.path.abspath(__file__))

def traced(a, chip, t0, t1):
    r = chip.sim(a.steps, timing_model=a.timing, processing_threads=a.threads, spike_trace=True, perf_trace=True)
    t2 = time.perf_counter()
    group_of = {g: pop for pop, gs in POPULATIONS.items() for g in gs}
    spikes = {pop: 0 for pop in POPULATIONS}
    lif_fired = 0
    for step in r["spike_trace"]:
        for n in step:
            g = str(n).rsplit(".", 1)[0]
            pop = group_of.get(g)
            if pop is not None and POPULATIONS[pop] == [pop]:
                spikes[pop] += 1
                lif_fired += 1
    perf = r["perf_trace"]
    fired = sum(perf["fired"])
    input_fired = fired - lif_fired
    return {
        "steps": r["timesteps_executed"],
        "spikes": spikes,
        "spikes_total": lif_fired,
        "input_spikes": input_fired,
        "energy": r["energy"],
        "sim_time": r["sim_time"],
        "sim_time_max_step": max(perf["sim_time"]) if perf["sim_time"] else 0.0,
        "messages": r["packets_sent"],
        "hops": sum(perf["hops"]),
        "synaptic_events": sum(perf["spikes"]),
        # an input neuron is counted as updated when it fires; glia's inputs are not neurons
        "neurons_updated": sum(perf["updated"]) - input_fired,
        "load_s": t1 - t0,
        "sim_s": t2 - t1,
    }

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default=os.path.join(HERE, "arch.yaml"),
                    help="architecture YAML; 'bundled-loihi' is the loihi.yaml SANA-FE ships")
    ap.add_argument("--steps", type=int, default=${steps})
    ap.add_argument("--timing", default="detailed", choices=["simple", "detailed"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--fast", action="store_true",
                    help="no spike or performance traces (speed runs): totals only, spikes include inputs")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    path = a.arch
    if path == "bundled-loihi":
        path = os.path.join(os.path.dirname(sanafe.__file__), "examples", "loihi.yaml")
    arch = sanafe.load_arch(path)
    net = sanafe.load_net(os.path.join(HERE, "network.yaml"), arch)
    chip = sanafe.SpikingChip(arch)
    chip.load(net)
    t1 = time.perf_counter()
    if a.fast:
        r = chip.sim(a.steps, timing_model=a.timing, processing_threads=a.threads)
        t2 = time.perf_counter()
        summary = {
            "steps": r["timesteps_executed"],
            "spikes": None,
            "spikes_total": r["neurons_fired"],
            "energy": r["energy"],
            "sim_time": r["sim_time"],
            "messages": r["packets_sent"],
            "synaptic_events": r["spikes"],
            "load_s": t1 - t0,
            "sim_s": t2 - t1,
        }
    else:
        summary = traced(a, chip, t0, t1)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)

if __name__ == "__main__":
    main()
`;
}
