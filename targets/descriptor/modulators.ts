// A descriptor's network modulators as the controller evaluates them. In: a Descriptor and its embedded IR
// (parsed); out: the FxModulator list (descriptor word formats + the IR's modulator definitions) that both the
// descriptor runner (run.ts, through the fixed executor) and the cycle-accurate emulator hand to
// targets/fixed/modulators.ts stepModulators, and the modulators each fixed-point program reads.

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { FxModulator } from "../fixed/modulators.js";
import type { Descriptor, DescriptorModulator } from "./types.js";

/** The descriptor's modulators paired with the IR's definitions by position and name; an error when they
 *  disagree (a modulator the IR defines that the descriptor has no word for, or the reverse). */
export function descriptorModulators(
  d: Pick<Descriptor, "modulators">,
  ir: Pick<IRProgram, "modulators">,
): { mods: FxModulator[]; error?: string } {
  const words: DescriptorModulator[] = d.modulators ?? [];
  const defs = ir.modulators ?? [];
  if (words.length !== defs.length) {
    return {
      mods: [],
      error: `the IR defines ${defs.length} modulator(s) (${defs.map((m) => m.name).join(", ") || "none"}), the descriptor has words for ${words.length} (${words.map((m) => m.name).join(", ") || "none"})`,
    };
  }
  const mods: FxModulator[] = [];
  for (let i = 0; i < defs.length; i++) {
    const w = words[i]!,
      m = defs[i]!;
    if (w.name !== m.name)
      return { mods: [], error: `modulator ${i} is ${w.name} in the descriptor but ${m.name} in the IR` };
    mods.push({ name: w.name, fmt: w.fmt, range: { lo: w.range.lo, hi: w.range.hi }, source: w.source, ir: m });
  }
  return { mods };
}

/** The descriptor form of FxModulators (what the mappers write). */
export function modulatorWords(mods: readonly FxModulator[]): DescriptorModulator[] {
  return mods.map((m) => ({ name: m.name, fmt: m.fmt, range: { lo: m.range.lo, hi: m.range.hi }, source: m.source }));
}

/** Names of the modulators read (refs of space "mod") anywhere in fixed-point statements or expressions. */
export function modulatorReads(...nodes: unknown[]): Set<string> {
  const out = new Set<string>();
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (typeof x !== "object" || x === null) return;
    const o = x as Record<string, unknown>;
    if (o.space === "mod" && typeof o.name === "string") {
      out.add(o.name);
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  for (const n of nodes) visit(n);
  return out;
}
