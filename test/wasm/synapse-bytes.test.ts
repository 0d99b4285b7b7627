// Bytes per synapse of the wasm layout (targets/wasm/layout.ts) for a fixed_total_number projection with normally
// drawn weights and delays and `--weight-bits 16`, the microcircuit's kind: the post indices as byte deltas within
// each run of one delay (post-deltas.ts: one byte a synapse, an extension word for a larger step and for each new
// delay's post), 2 bytes of weight code per synapse, plus per block (row x thread) two i32 bounds. Rows as the
// full-scale microcircuit's L2/3e -> L2/3e (about 2200 synapses over 20,683 posts) and denser ones: at most 4.0
// bytes a synapse in all.
import { describe, expect, test } from "@jest/globals";
import { buildLayout } from "../../targets/wasm/layout.js";
import { ftnNetwork } from "../helpers/ftn-network.js";

describe("bytes per synapse, fixed_total_number with --weight-bits 16", () => {
  const cases = [
    { name: "2200-synapse rows over 20,683 posts", ir: ftnNetwork(300, 20683, 660000, 3), n: 660000, rows: 300 },
    { name: "1000-synapse rows over 3000 posts", ir: ftnNetwork(1000, 3000, 1000000, 3), n: 1000000, rows: 1000 },
  ];
  for (const { name, ir, n, rows } of cases)
    for (const threads of [1, 2]) {
      test(`${name}, ${threads} thread(s): byte deltas, 2-byte codes and the block bounds, at most 4.0 in all`, () => {
        const layout = buildLayout(ir, 3, 10, "f32", 1024, threads, undefined, 16);
        expect(layout.synapses).toBe(n);
        const pj = layout.projs[0]!;
        const acc = pj.accum!;
        expect(acc.deltas).toBe(true);
        expect(acc.flagBits).toBe(0);
        expect(pj.codes.has("w")).toBe(true);
        const blocks = rows * threads + 1;
        const extBytes = pj.bytes - (n + 16) - (2 * n + 16) - 2 * 4 * blocks;
        // extension words: steps of 253 posts or more, each new delay's post (a few dozen a row)
        expect(extBytes).toBeGreaterThan(0);
        expect(extBytes / n).toBeLessThan(0.85);
        expect(layout.synapseBytes / layout.synapses).toBeLessThanOrEqual(4);
      });
    }
});
