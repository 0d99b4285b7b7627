// Pass "inline-aliases": substitutes every alias (named subexpression) into its uses, aliases that use
// other aliases included. In: an IRProgram; out: a new IRProgram without aliases (the pass manager appends the name).

import type { IRExpr, IRGroup, IRProgram } from "../ir/nodes.js";
import { substitute } from "../ir/expr.js";
import { mapGroupExprs } from "../ir/walk.js";

/** One group with its aliases substituted into every use (aliases emptied). */
export function inlineGroupAliases(g: IRGroup): IRGroup {
  if (g.aliases.length === 0) return g;
  const defs = new Map(g.aliases.map((a) => [a.name, a.expr]));
  const done = new Map<string, IRExpr>();
  const expand = (name: string, stack: readonly string[]): IRExpr | undefined => {
    const cached = done.get(name);
    if (cached) return cached;
    const def = defs.get(name);
    // a cycle is rejected by the checker; leave the ref in place rather than loop
    if (!def || stack.includes(name)) return undefined;
    const out = substitute(def, (r) => (r.space === "alias" ? expand(r.name, [...stack, name]) : undefined));
    done.set(name, out);
    return out;
  };
  const inlined = mapGroupExprs({ ...g, aliases: [] }, (e) =>
    substitute(e, (r) => (r.space === "alias" ? expand(r.name, []) : undefined)),
  );
  return inlined;
}

export function inlineAliases(p: IRProgram): IRProgram {
  return { ...p, groups: p.groups.map(inlineGroupAliases) };
}
