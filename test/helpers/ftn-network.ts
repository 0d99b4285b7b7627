// A microcircuit-like test network: LIF populations a (nPre) and b (nPost) joined by one fixed_total_number
// projection with truncated-normal weights and delays. In: sizes, synapse count, seed; out: the compiled IR.
import { expect } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { dirHost, memoryHost, REPO_ROOT } from "./dir-host.js";

export function ftnNetwork(nPre: number, nPost: number, synapses: number, seed: number): IRProgram {
  const source = `
neuron Lif {
  parameters { taum: ms = 20 ms; Vt: mV = -50 mV; Vr: mV = -60 mV }
  state { v: mV = -60 mV; ge: mV = 0 mV }
  equations { v' = (ge - (v - Vr)) / taum; ge' = -ge / 5 ms }
  method exact
  spike when v > Vt { v = Vr }
}
synapse Static {
  parameters { w: mV = 0 mV }
  on pre { post.target += w }
}
network Net {
  dt = 0.1 ms
  seed = ${seed}
  population a = Lif[${nPre}]
  population b = Lif[${nPost}]
  connect a -> b with Static(w = truncated_normal(0.5 mV, 0.05 mV, 0 mV, 50 mV)) onto ge fixed_total_number(${synapses})
      delay = truncated_normal(1.5 ms, 0.75 ms, 0.1 ms, 100 ms)
  run 10 ms
}
`;
  const c = compile("a.glia", memoryHost({ "a.glia": source }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}
