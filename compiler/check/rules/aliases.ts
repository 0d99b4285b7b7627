// Rule: aliases of a model. Cyclic definitions (E0214), and aliases whose inlining would give an expression
// deeper than MAX_EXPR_DEPTH or larger than MAX_INLINED_NODES (E0417): the passes substitute every alias into its
// uses, so `a1 = a2 + 1`, `a2 = a3 + 1`, ... 10,000 deep becomes a 10,000-level tree, and `a_k = a_(k-1) +
// a_(k-1)` doubles at every step (40 of them: 2^40 nodes). Both are measured here without building anything,
// walking the aliases in dependency order with an explicit stack (no recursion over the chain).
// In: a model's symbols; out: diagnostics, and true when an alias is refused (later rules would recurse
// through it, so the checker stops there).

import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Expr } from "../../syntax/ast.js";
import { MAX_EXPR_DEPTH } from "../../syntax/depth.js";
import type { ModelSymbols } from "../scope.js";
import { modelExprs, namesIn } from "../walk.js";

/** Largest expression (in nodes) inlining may produce: five times a 100,000-term sum. Measured: an alias doubling
 * 17 times (650,000 nodes) compiles and runs on the reference target in 5 s of CPU. */
export const MAX_INLINED_NODES = 1_000_000;

interface AliasDef {
  span: Span;
  value: Expr;
  deps: string[];
}

/** Alias names in dependency order (each after those it uses) and the cycles met, found without recursion. The
 * order of visits is the declaration order, each alias's uses in the order they are written. */
function dependencyOrder(aliases: ReadonlyMap<string, AliasDef>): { order: string[]; cycles: string[][] } {
  const state = new Map<string, "busy" | "done">();
  const order: string[] = [];
  const cycles: string[][] = [];
  for (const root of aliases.keys()) {
    if (state.has(root)) continue;
    const stack: { name: string; deps: string[]; next: number }[] = [];
    const open = (name: string): void => {
      state.set(name, "busy");
      stack.push({ name, deps: [...new Set(aliases.get(name)!.deps)], next: 0 });
    };
    open(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.deps.length) {
        stack.pop();
        state.set(top.name, "done");
        order.push(top.name);
        continue;
      }
      const dep = top.deps[top.next++]!;
      if (!aliases.has(dep) || state.get(dep) === "done") continue;
      if (state.get(dep) === "busy") {
        cycles.push(stack.slice(stack.findIndex((f) => f.name === dep)).map((f) => f.name));
        continue;
      }
      open(dep);
    }
  }
  return { order, cycles };
}

/** Depth and node count of `e` with the aliases in `inlined` substituted (recursion bounded by the parser's depth
 * guard, since aliases are looked up, not walked). */
function measure(
  e: Expr,
  inlined: ReadonlyMap<string, { depth: number; size: number }>,
): { depth: number; size: number } {
  const kids: Expr[] =
    e.kind === "Unary"
      ? [e.operand]
      : e.kind === "Binary"
        ? [e.left, e.right]
        : e.kind === "Conditional"
          ? [e.cond, e.then, e.otherwise]
          : e.kind === "Call"
            ? e.args.map((a) => a.value)
            : e.kind === "List"
              ? e.items
              : [];
  if (e.kind === "Name") return inlined.get(e.name) ?? { depth: 1, size: 1 };
  let depth = 0;
  let size = 1;
  for (const k of kids) {
    const m = measure(k, inlined);
    depth = Math.max(depth, m.depth);
    size += m.size;
  }
  return { depth: depth + 1, size };
}

const tooBig = (m: { depth: number; size: number }): boolean => m.depth > MAX_EXPR_DEPTH || m.size > MAX_INLINED_NODES;

function describe(m: { depth: number; size: number }): string {
  return m.depth > MAX_EXPR_DEPTH
    ? `${m.depth} levels deep (limit ${MAX_EXPR_DEPTH})`
    : `${count(m.size)} nodes (limit ${count(MAX_INLINED_NODES)})`;
}

const count = (n: number): string => (n < 1e15 ? Math.round(n).toLocaleString("en-US") : n.toExponential(2));

const HINT =
  "aliases are substituted into every use; make the innermost part a state variable, or " +
  "compute it once with `let` in a handler, instead of nesting aliases";

/** E0214 and E0417 for the aliases of one model; true when an E0417 was reported. */
export function checkAliases(symbols: ModelSymbols, diags: Diagnostics): boolean {
  const aliases = new Map<string, AliasDef>();
  for (const eq of symbols.model.equations) {
    if (eq.kind === "Alias" && !aliases.has(eq.name))
      aliases.set(eq.name, { span: eq.nameSpan, value: eq.value, deps: namesIn(eq.value) });
  }
  if (aliases.size === 0) return false;
  const { order, cycles } = dependencyOrder(aliases);
  for (const cycle of cycles) {
    const first = cycle[0]!;
    diags.error(
      "E0214",
      aliases.get(first)!.span,
      `aliases refer to each other in a cycle: ${[...cycle, first].join(" -> ")}`,
      {
        related: cycle.slice(1).map((n) => ({ span: aliases.get(n)!.span, message: `\`${n}\` is part of the cycle` })),
        hint: "an alias is a named subexpression; one of them must be a state variable instead",
      },
    );
  }
  if (cycles.length > 0) return false;

  // inlined size of each alias, in dependency order; an alias over a limit is reported once, at the first alias
  // of the chain that crosses it (those built on it are over too, and are not reported again)
  const inlined = new Map<string, { depth: number; size: number }>();
  const over = new Set<string>();
  let refused = false;
  for (const name of order) {
    const a = aliases.get(name)!;
    const m = measure(a.value, inlined);
    inlined.set(name, m);
    if (!tooBig(m)) continue;
    over.add(name);
    if (a.deps.some((d) => over.has(d))) continue;
    refused = true;
    diags.error("E0417", a.span, `alias \`${name}\` would inline to an expression ${describe(m)}`, { hint: HINT });
  }
  // uses outside aliases (equations, handlers, ...) of aliases that are each within the limits
  const values = new Set(symbols.model.equations.flatMap((q) => (q.kind === "Alias" ? [q.value] : [])));
  for (const e of modelExprs(symbols.model)) {
    if (values.has(e) || namesIn(e).some((n) => over.has(n))) continue;
    const m = measure(e, inlined);
    if (!tooBig(m)) continue;
    refused = true;
    diags.error("E0417", e.span, `with its aliases inlined, this expression would be ${describe(m)}`, { hint: HINT });
  }
  return refused;
}
