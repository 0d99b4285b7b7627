// Bytes per synapse of the wasm layout (targets/wasm/layout.ts) for a fixed_total_number projection with normally
// drawn weights and delays and `--weight-bits 16`, the microcircuit's kind: 2 bytes of post index (delay runs as
// flags in it) and 2 bytes of weight code per synapse, plus per block (row x thread) two i32 bounds and the
// blocks' delay-gap bytes. Rows of 1000 synapses keep the whole under 4.02 bytes a synapse; 4.0 itself needs an
// encoding below 16 bits for one of the two.
import { describe, expect, test } from "@jest/globals";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { buildLayout } from "../../targets/wasm/layout.js";
import { ftnNetwork } from "../helpers/ftn-network.js";

const build = (): IRProgram => ftnNetwork(1000, 3000, 1000000, 3);

describe("bytes per synapse, fixed_total_number with --weight-bits 16", () => {
  const ir = build();
  for (const threads of [1, 2]) {
    test(`${threads} thread(s): 4 bytes a synapse plus the block bounds and gap bytes, under 4.02 in all`, () => {
      const layout = buildLayout(ir, 3, 10, "f32", 1024, threads, undefined, 16);
      expect(layout.synapses).toBe(1000000);
      const pj = layout.projs[0]!;
      const acc = pj.accum!;
      expect(acc).not.toBeNull();
      expect(acc.flagBits).toBe(2);
      expect(pj.postIdxBytes).toBe(2);
      expect(pj.codes.has("w")).toBe(true);
      const blocks = 1000 * threads + 1;
      const gapBytes = pj.bytes - (2 * 1000000 + 16) * 2 - 2 * 4 * blocks - 16;
      // gap bytes only where a block's delay grows by more than one step (a few per row)
      expect(gapBytes).toBeGreaterThanOrEqual(0);
      expect(gapBytes).toBeLessThan(4 * 1000 * threads);
      expect(layout.synapseBytes / layout.synapses).toBeLessThan(4.02);
      expect(layout.synapseBytes / layout.synapses).toBeGreaterThan(4);
    });
  }
});
