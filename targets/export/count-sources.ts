// Which poisson_count inputs (`input S = poisson_count(rate = R)[n]`, compiler/builtins/poisson-count.ts) an
// exported engine replays exactly, the one rule per engine. In: the engine, the IR and glia's network files; out:
// E0808 (refuse.ts) for each use the engine cannot express, with the construct named and a caret on it.
//
// glia: every element e draws c ~ Poisson(rate_e dt) events per step, each a spike through all of e's synapses, so
// `on pre { post.X += w }` adds c w to X (after the synapse's delay) and e's targets all see the same c.
// - every engine: only that handler (a static weight, nest/match.ts staticWeight) turns c events into one c-fold
//   addition; plasticity seeing c spikes in one step is not written.
// - Brian2 (brian2/script.ts): the source is a NeuronGroup drawing `events = poisson(rate * dt)` every step (Brian2's
//   exact Poisson draw; PoissonInput is binomial(N, rate dt), not Poisson for small N) that spikes when events > 0,
//   and the synapse adds `events_pre * w`. Brian2 reads events_pre when the event is delivered, so every synapse
//   of the source must have delay 0 (a delayed one would read a later step's count).
// - NEST (nest/script.ts): one poisson_generator per distinct rate, connected to the targets with glia's weight and
//   delay; NEST draws an independent train for every connection, which is glia's input only when every element has
//   at most one synapse (one_to_one), and its events reach no spike_recorder, so the source may not be recorded.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { NetworkData } from "./network-data.js";
import { staticWeight } from "./nest/match.js";
import { refusal } from "./refuse.js";

export type CountEngine = "brian2" | "nest" | "sanafe";

/** The names of the poisson_count sources of a program. */
export const countSources = (ir: IRProgram): Set<string> =>
  new Set(ir.sources.filter((s) => s.k === "poisson_count").map((s) => s.name));

/** E0808 for every poisson_count use `engine` cannot express; `data` (glia's network) gives delays and fan-out. */
export function countSourceRefusals(engine: CountEngine, ir: IRProgram, data?: NetworkData): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ir.sources) {
    if (s.k !== "poisson_count") continue;
    const at = ir.spans?.sources[s.name] ?? ir.spans?.network;
    if (engine === "sanafe") {
      out.push(refusal(engine, at, `the poisson_count input ${s.name} (several events per element and step)`));
      continue;
    }
    const projs = ir.projections.filter((p) => p.pre.population === s.name);
    for (const p of projs) {
      const span = p.handlerSpans?.pre ?? p.modelSpan ?? p.span ?? at;
      if (!staticWeight(p)) {
        out.push(
          refusal(
            engine,
            span,
            `the synapse ${p.synapse} of ${p.name} from the poisson_count input ${s.name}`,
            "only `on pre { post.X += w }` delivers a step's c events as one addition of c w; other synapses would see c spikes in one step",
          ),
        );
        continue;
      }
      const delays = data?.projections.get(p.name)?.delays;
      if (engine === "brian2" && delays && [...delays].some((d) => d !== 0))
        out.push(
          refusal(
            engine,
            p.span ?? span,
            `the delayed synapse ${p.synapse} of ${p.name} from the poisson_count input ${s.name}`,
            "Brian2 reads the source's count when a delayed event is delivered, not when it was drawn: only delay 0 is exact",
          ),
        );
    }
    if (engine !== "nest") continue;
    const fanOut = projs.reduce((a, p) => a + (data?.projections.get(p.name)?.fanOut ?? 0), 0);
    if (fanOut > 1)
      out.push(
        refusal(
          engine,
          at,
          `the poisson_count input ${s.name} with elements of ${fanOut} synapses`,
          "NEST's poisson_generator draws an independent train for every target; glia's element gives all its targets the same count: connect it one_to_one",
        ),
      );
    ir.monitors.forEach((m, n) => {
      if ((m.k === "spikes" || m.k === "rate") && m.target.population === s.name)
        out.push(
          refusal(
            engine,
            ir.spans?.monitors[n] ?? at,
            `the ${m.k} record of the poisson_count input ${s.name}`,
            "NEST's poisson_generator sends its events to its targets only; no spike_recorder sees them",
          ),
        );
    });
  }
  return out;
}
