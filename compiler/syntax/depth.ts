// The tree-depth guard, run on a file's AST after conversion. In: a FileAst; out: the expressions whose tree is
// deeper than MAX_EXPR_DEPTH (outermost expression and its depth). The token guard (nesting.ts) bounds brackets,
// prefix runs and right-associative chains, but a left-associative chain of up to LONG_CHAIN operators is a
// left-deep tree (kept so to keep the float order), and such chains nested in brackets multiply: 60 levels of
// parentheses around 990-term sums are 60,000 levels, which every recursive walk after the parser (checker,
// IR build, passes, printers, targets) would have to survive. The walk here is iterative.

import { EXPR_KINDS } from "./ast.js";

/** Deepest expression tree any stage may receive: a chain of LONG_CHAIN (1000) operators with room to spare for
 * brackets around it. The same bound holds for an expression with its aliases inlined (compiler/check). Measured
 * (a nonlinear ODE, so RK4 nests the right side in its stages): 1,490 levels compile and run on the reference,
 * fixed and wasm targets; at 1,990 the reference's generated JavaScript no longer parses in V8. */
export const MAX_EXPR_DEPTH = 1500;

/** True for keys that hold source positions or unit annotations, which hold no expression. */
const skipKey = (k: string): boolean => k === "span" || k.endsWith("Span") || k === "unit";

interface Frame {
  node: object;
  kids: object[];
  next: number;
  /** Deepest child so far. */
  best: number;
  expr: boolean;
}

function kidsOf(node: object): object[] {
  const isNode = (v: unknown): v is object => typeof v === "object" && v !== null;
  if (Array.isArray(node)) return (node as unknown[]).filter(isNode);
  const out: object[] = [];
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) if (!skipKey(k) && isNode(v)) out.push(v);
  return out;
}

/** Every outermost expression under `root` deeper than `limit` levels, with its depth, in source order. */
export function tooDeepExpressions<S>(root: object, limit: number = MAX_EXPR_DEPTH): { span: S; depth: number }[] {
  const found: { span: S; depth: number }[] = [];
  const isExpr = (n: object): boolean =>
    !Array.isArray(n) && EXPR_KINDS.has((n as { kind?: unknown }).kind as string) && "span" in n;
  const frame = (n: object): Frame => ({ node: n, kids: kidsOf(n), next: 0, best: 0, expr: isExpr(n) });
  const stack: Frame[] = [frame(root)];
  let exprFrames = stack[0]!.expr ? 1 : 0; // expression frames on the stack
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.kids.length) {
      const f = frame(top.kids[top.next++]!);
      if (f.expr) exprFrames++;
      stack.push(f);
      continue;
    }
    stack.pop();
    if (top.expr) exprFrames--;
    const height = top.best + (top.expr ? 1 : 0);
    const parent = stack[stack.length - 1];
    // an expression is outermost when no enclosing frame is an expression (args and lists are transparent)
    if (top.expr && height > limit && exprFrames === 0)
      found.push({ span: (top.node as { span: S }).span, depth: height });
    if (parent) parent.best = Math.max(parent.best, height);
  }
  return found;
}
