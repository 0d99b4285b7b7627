// Pass "inline-aliases": substitutes every alias (named subexpression) into its uses, aliases that use
// other aliases included. In: an IRProgram; out: a new IRProgram without aliases (the pass manager appends the name).

import type { IRExpr, IRGroup, IRProgram, Ref } from "../ir/nodes.js";
import { forEachRef, substitute } from "../ir/expr.js";
import { mapGroupExprs } from "../ir/walk.js";

/** Alias names in dependency order (each after the aliases it uses), found without recursion so a chain of
 * thousands of aliases cannot exhaust the stack. Aliases on a cycle (rejected by the checker) are left out. */
function dependencyOrder(defs: ReadonlyMap<string, IRExpr>): string[] {
  const uses = new Map<string, string[]>();
  for (const [name, e] of defs) {
    const list: string[] = [];
    forEachRef(e, (r) => {
      if (r.space === "alias" && defs.has(r.name)) list.push(r.name);
    });
    uses.set(name, list);
  }
  const state = new Map<string, "open" | "done" | "cycle">();
  const order: string[] = [];
  for (const root of defs.keys()) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = uses.get(top[0])!;
      if (top[1] < deps.length) {
        const d = deps[top[1]++]!;
        const st = state.get(d);
        if (st === undefined) {
          state.set(d, "open");
          stack.push([d, 0]);
        } else if (st !== "done") state.set(top[0], "cycle");
        continue;
      }
      stack.pop();
      const cyclic = state.get(top[0]) === "cycle" || deps.some((d) => state.get(d) !== "done");
      state.set(top[0], cyclic ? "cycle" : "done");
      if (!cyclic) order.push(top[0]);
    }
  }
  return order;
}

/** One group with its aliases substituted into every use (aliases emptied). */
export function inlineGroupAliases(g: IRGroup): IRGroup {
  if (g.aliases.length === 0) return g;
  const defs = new Map(g.aliases.map((a) => [a.name, a.expr]));
  const done = new Map<string, IRExpr>();
  // a cycle is rejected by the checker; its refs are left in place rather than looped over
  const expanded = (r: Ref): IRExpr | undefined => (r.space === "alias" ? done.get(r.name) : undefined);
  for (const name of dependencyOrder(defs)) done.set(name, substitute(defs.get(name)!, expanded));
  const aliasSpans = g.aliases.flatMap((a) => (a.span ? [{ name: a.name, span: a.span }] : []));
  return mapGroupExprs({ ...g, aliases: [], ...(aliasSpans.length ? { aliasSpans } : {}) }, (e) =>
    substitute(e, expanded),
  );
}

export function inlineAliases(p: IRProgram): IRProgram {
  return { ...p, groups: p.groups.map(inlineGroupAliases) };
}
