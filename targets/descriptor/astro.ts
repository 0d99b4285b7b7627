// Astrocytes in hardware descriptors. In: a descriptor (or one synapse table and the astrocyte population
// names); out: the synapse -> astrocyte map of every ensheathed projection as the cores' synapse memories
// store it, and which of a table's statement lists pass a core's astrocyte stage (they read astrocyte words).

import type { Ref } from "../../compiler/ir/nodes.js";
import type { FxBool, FxExpr, FxStmt } from "../fixed/ir.js";
import type { Descriptor, SynapseTable } from "./types.js";

/** Every ref a statement list reads or writes. */
export function forEachFxRef(stmts: readonly FxStmt[], f: (r: Ref) => void): void {
  const ex = (e: FxExpr): void => {
    switch (e.k) {
      case "var":
        f(e.ref);
        return;
      case "const":
      case "edecay":
        return;
      case "add":
      case "sub":
      case "mul":
      case "min":
      case "max":
      case "div":
        ex(e.a);
        ex(e.b);
        return;
      case "neg":
      case "abs":
      case "shift":
      case "lut":
        ex(e.a);
        return;
      case "sel":
        bo(e.c);
        ex(e.a);
        ex(e.b);
        return;
    }
  };
  const bo = (c: FxBool): void => {
    if (c.k === "cmp") {
      ex(c.a);
      ex(c.b);
    } else if (c.k === "and" || c.k === "or") {
      bo(c.a);
      bo(c.b);
    } else if (c.k === "not") bo(c.a);
  };
  for (const s of stmts) {
    if (s.k === "if") {
      bo(s.c);
      forEachFxRef(s.then, f);
      forEachFxRef(s.otherwise, f);
    } else {
      if (s.k === "assign") f(s.target);
      ex(s.value);
    }
  }
}

/** Which events of a table's synapses pass the astrocyte stage of the core holding them: on pre events
 *  (the astrocyte's on synapse_pre, or an on pre reading astrocyte words), on post (synapse_post, or an on
 *  post reading them), and the per-step continuous coupling when it reads astrocyte words. A synapse onto
 *  an astrocyte (post side an astrocyte population) is a plain synaptic op on the astrocyte's core. */
export interface AstroStageUse {
  pre: boolean;
  post: boolean;
  continuous: boolean;
}

export function astroStageUse(t: SynapseTable, astroPops: ReadonlySet<string>): AstroStageUse {
  const reads = (stmts: readonly FxStmt[]): boolean => {
    let hit = false;
    const preA = astroPops.has(t.pre.population);
    forEachFxRef(stmts, (r) => {
      if (r.space === "astro" || (r.space === "pre" && preA)) hit = true;
    });
    return hit;
  };
  return {
    pre: (t.astro !== null && t.astro.onSynapsePre.length > 0) || reads(t.onPre),
    post: (t.astro !== null && t.astro.onSynapsePost.length > 0) || reads(t.onPost),
    continuous: reads(t.continuous),
  };
}

/** The astrocyte of every synapse of each ensheathed projection, read from the synapse memories of the
 *  cores (digital descriptors); a synapse no memory assigns stays -1. Crossbar descriptors hold none. */
export function astroMaps(d: Descriptor): Map<string, Int32Array> {
  const out = new Map<string, Int32Array>();
  if (d.kind !== "digital") return out;
  const n = new Map(d.projections.map((t) => [t.projection, t.n]));
  for (const c of d.cores)
    for (const m of c.synapses) {
      if (!m.astrocyte) continue;
      let a = out.get(m.projection);
      if (!a) out.set(m.projection, (a = new Int32Array(n.get(m.projection) ?? 0).fill(-1)));
      for (let e = 0; e < m.synapse.length; e++) a[m.synapse[e]!] = m.astrocyte.index[e]!;
    }
  return out;
}
