// Spike sources on the receiving side (issue 11, item 5): a synapse that uses no post variable may end on an
// input source (Brian2's STDP between two SpikeGeneratorGroups); its `on post` runs on the source's spikes, on
// every simulation target. A synapse using post.X or an `onto` there is E0529; hardware mappings refuse it.

import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { lowerForHardware } from "../../targets/driver/hardware.js";
import { loadPreset } from "../../targets/hw/presets.js";
import { memoryHost } from "../helpers/dir-host.js";
import { check, errors } from "../check/helpers.js";

const STDP = `synapse STDP {
  parameters { taupre: ms = 20 ms; taupost: ms = 20 ms; dApre = 0.01; dApost = -0.0105; wmax = 1 }
  state { w = 0.5; Apre = 0; Apost = 0 }
  equations { Apre' = -Apre / taupre; Apost' = -Apost / taupost }
  on pre { Apre += dApre; w = clip(w + Apost, 0, wmax); pre.w_seen = w }
  on post { Apost += dApost; w = clip(w + Apre, 0, wmax); pre.w_seen = w }
}
`;
/** The pre side is a relay neuron (so the weight can be read back through pre.w_seen); the post side a generator. */
const SRC = `neuron Relay {
  state { v = 0; w_seen = 0 }
  equations { v' = -v / 1 ms }
  spike when v > 0.5 { v = 0 }
}
synapse Kick { parameters { w } on pre { post.target += w } }
${STDP}
network G {
  dt = 0.1 ms
  input a = spike_times(times = [10 ms, 30 ms, 50 ms], indices = [0, 0, 0])[1]
  input b = spike_times(times = [15 ms, 25 ms, 52 ms], indices = [0, 0, 0])[1]
  population relay = Relay[1]
  connect a -> relay with Kick(w = 1) onto v one_to_one
  connect s: relay -> b with STDP all_to_all
  record w_seen of relay
  record spikes of relay, b
  run 60 ms
}
`;

/** The weight after each event, by the pair-based rule with exponential traces (steps of 0.1 ms). */
function expectedWeights(): Map<number, number> {
  const pre = [101, 301, 501]; // the relay spikes one step after each of a's spikes
  const post = [150, 250, 520];
  const events = [...pre.map((k) => ({ k, pre: true })), ...post.map((k) => ({ k, pre: false }))].sort(
    (x, y) => x.k - y.k,
  );
  let w = 0.5,
    apre = 0,
    apost = 0,
    last = 0;
  const out = new Map<number, number>();
  for (const e of events) {
    const decay = Math.exp(-((e.k - last) * 1e-4) / 0.02);
    apre *= decay;
    apost *= decay;
    last = e.k;
    if (e.pre) {
      apre += 0.01;
      w = Math.min(Math.max(w + apost, 0), 1);
    } else {
      apost += -0.0105;
      w = Math.min(Math.max(w + apre, 0), 1);
    }
    out.set(e.k, w);
  }
  return out;
}

describe("a synapse onto an input source", () => {
  const c = compile("g.glia", memoryHost({ "g.glia": SRC }), { verify: true });
  test("compiles", () => expect(errors(c.diagnostics)).toEqual([]));
  const want = expectedWeights();
  for (const [target, tol] of [
    [referenceTarget, 1e-12],
    [wasmF64Target, 1e-12],
    [wasmTarget, 1e-6],
  ] as const) {
    test(`${target.name}: on post runs on the generator's spikes; the weights follow the STDP rule`, () => {
      const r = target.run(c.ir!, {}).result!;
      expect(Array.from(r.spikes["b"]!.steps)).toEqual([150, 250, 520]);
      const v = r.traces[0]!.values.map((row) => row[0]!);
      // the trace row k + 1 shows what the events of step k wrote
      for (const [k, w] of want) expect(Math.abs(v[k + 1]! - w)).toBeLessThanOrEqual(tol);
      expect(want.get(150)!).toBeGreaterThan(0.5); // potentiation by the post spike: on post did run
    });
  }
  test("fixed: runs, and its on post changes the weight at the generator's spikes", () => {
    const r = fixedTarget.run(c.ir!, {}).result!;
    const v = r.traces[0]!.values.map((row) => row[0]!);
    expect(v[151]).toBeGreaterThan(v[150]!);
    expect(r.synapticEvents).toBe(6); // 3 Kick events + 3 STDP pre events
  });
  test("two generators (Brian2's SpikeGeneratorGroup pair): every simulation target runs it", () => {
    const src = `${STDP.replace(/; pre\.w_seen = w/g, "")}network G {
  dt = 0.1 ms
  input a = spike_times(times = [10 ms, 30 ms], indices = [0, 1])[2]
  input b = spike_times(times = [15 ms], indices = [0])[1]
  connect s: a -> b with STDP all_to_all
  run 40 ms
}`;
    const c2 = compile("g.glia", memoryHost({ "g.glia": src }));
    expect(errors(c2.diagnostics)).toEqual([]);
    for (const t of [referenceTarget, wasmF64Target, wasmTarget, fixedTarget]) {
      const r = t.run(c2.ir!, {});
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect([r.result!.synapses, r.result!.synapticEvents]).toEqual([2, 2]);
    }
    // hardware stores synapses with their post neuron: refused with the reason, at the connect
    for (const name of ["loihi", "reram-128"]) {
      const spec = loadPreset(name).spec!;
      const m = lowerForHardware(c2.ir!, spec);
      expect(m.descriptor).toBeUndefined();
      expect(m.diagnostics.map((d) => `${d.code} ${d.span.line}`)).toEqual(["E0801 12"]);
    }
  });
});

describe("a synapse onto an input source: invalid uses", () => {
  const net = (syn: string, connect: string) =>
    `${syn}network N {\n  input a = spike_times(times = [1 ms], indices = [0])[1]\n  input b = spike_times(times = [2 ms], indices = [0])[1]\n${connect}\n  run 5 ms\n}\n`;
  const located = (source: string): string[] => {
    const lines = source.split("\n");
    return errors(check(source).diagnostics).map(
      (d) =>
        `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.endCol)}`,
    );
  };
  test("post.X in a handler is E0529 at the member", () => {
    const syn = "synapse S { parameters { w = 1 } on pre { post.target += w } }\n";
    expect(located(net(syn, "  connect a -> b with S onto v all_to_all"))).toEqual(["E0529 1:43-1:53 post.target"]);
  });
  test("onto is E0529 at the name", () => {
    const syn = "synapse S { state { x = 0 } on pre { x += 1 } }\n";
    expect(located(net(syn, "  connect a -> b with S onto v all_to_all"))).toEqual(["E0529 5:30-5:30 v"]);
  });
});
