// Network constants: `let NAME = expr` inside a network. In: a FileAst whose networks carry `lets` (cst-to-ast.ts);
// out: the same networks with every later use of NAME in their items' expressions (sizes, arguments, rule
// arguments, delays, slices, durations) replaced by a copy of the constant's expression, plus diagnostics.
// A let sees the lets before it; an item sees the lets before it. A let shadows any other meaning of its name in
// the network's expressions (a model parameter read by a population argument, say), so names that already mean
// something everywhere are refused: unit symbols and the built-in names t, i, j, N, pi, e (E0205); a second let
// of one name is E0202. A constant past the alias limits (MAX_EXPR_DEPTH levels, MAX_INLINED_NODES nodes once
// earlier lets are inlined) is E0417 and is not substituted. Runs after the depth guard, so every tree it copies
// is at most MAX_EXPR_DEPTH deep plus one constant.

import type { Diagnostics } from "../diagnostics/diagnostic.js";
import { UNITS } from "../units/units.js";
import { EXPR_KINDS, type Expr, type FileAst, type NetLet } from "./ast.js";
import { MAX_EXPR_DEPTH } from "./depth.js";

/** Largest constant, in expression nodes, once earlier constants are inlined (as for aliases). */
export const MAX_LET_NODES = 1_000_000;

const BUILTIN_NAMES = new Set(["t", "i", "j", "N", "pi", "e"]);

interface Constant {
  value: Expr;
  depth: number;
  nodes: number;
}

/** Substitutes the lets of every network of `ast` in place; true when some network has any. */
export function expandNetworkLets(ast: FileAst, diags: Diagnostics): boolean {
  let any = false;
  for (const net of ast.networks) {
    const lets = net.lets;
    if (!lets || lets.length === 0) continue;
    any = true;
    const env = new Map<string, Constant>();
    let next = 0;
    const admit = (l: NetLet): void => {
      if (UNITS.has(l.name) || BUILTIN_NAMES.has(l.name)) {
        diags.error(
          "E0205",
          l.nameSpan,
          `\`${l.name}\` cannot name a network constant: it is a unit or built-in name`,
          {
            hint: "choose another name",
          },
        );
        return;
      }
      if (env.has(l.name)) {
        diags.error("E0202", l.nameSpan, `network constant \`${l.name}\` is declared twice`);
        return;
      }
      // measured before it is built: the constants it reads count with their own (inlined) size
      const size = measure(l.value, env);
      if (size.depth > MAX_EXPR_DEPTH || size.nodes > MAX_LET_NODES) {
        diags.error(
          "E0417",
          l.span,
          `network constant \`${l.name}\` would inline to an expression ${size.depth} levels deep with ${size.nodes} nodes (limits ${MAX_EXPR_DEPTH} and ${MAX_LET_NODES})`,
          { hint: "compute the value with fewer nested constants" },
        );
        return;
      }
      // kept as written: a use inlines it (and the constants it names) then, so an unused constant costs nothing
      env.set(l.name, { value: l.value, ...size });
    };
    net.items = net.items.map((item, k) => {
      while (next < lets.length && lets[next]!.at <= k) admit(lets[next++]!);
      return substitute(item, env) as typeof item;
    });
    while (next < lets.length) admit(lets[next++]!);
  }
  return any;
}

/** A copy of `node` with every Name expression naming a constant replaced by a copy of the constant. */
function substitute(node: unknown, env: ReadonlyMap<string, Constant>): unknown {
  if (typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) return node.map((x) => substitute(x, env));
  const rec = node as Record<string, unknown>;
  if (rec.kind === "Name" && typeof rec.name === "string" && "span" in rec) {
    const c = env.get(rec.name);
    if (c) return substitute(c.value, env);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = k === "span" || k.endsWith("Span") ? v : substitute(v, env);
  return out;
}

/** Depth and node count of an expression tree once the constants it names are inlined (the tree itself is at
 *  most MAX_EXPR_DEPTH deep: recursion is safe). */
function measure(e: unknown, env: ReadonlyMap<string, Constant>): { depth: number; nodes: number } {
  if (typeof e !== "object" || e === null) return { depth: 0, nodes: 0 };
  const rec = e as Record<string, unknown>;
  if (rec.kind === "Name" && typeof rec.name === "string") {
    const c = env.get(rec.name);
    if (c) return { depth: c.depth, nodes: c.nodes };
  }
  const isExpr = !Array.isArray(e) && EXPR_KINDS.has((rec.kind as string) ?? "");
  let depth = 0;
  let nodes = isExpr ? 1 : 0;
  const kids = Array.isArray(e)
    ? e
    : Object.entries(rec)
        .filter(([k]) => k !== "span" && !k.endsWith("Span") && k !== "unit")
        .map(([, v]) => v);
  for (const k of kids) {
    const m = measure(k, env);
    depth = Math.max(depth, m.depth);
    nodes += m.nodes;
  }
  return { depth: depth + (isExpr ? 1 : 0), nodes };
}
