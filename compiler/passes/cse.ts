// Pass "cse": common subexpression elimination per statement list. A subexpression of at least 3
// nodes that occurs twice or more with the same values (no assignment to what it reads in between)
// becomes `let cse_N = ...` placed just before its first use. Largest candidates first, repeated
// until none is left. In: an IRProgram; out: a new IRProgram (the pass manager appends "cse").

import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, Ref } from "../ir/nodes.js";
import { children, exprKey, forEachRef, forEachTarget, ref, withChildren } from "../ir/expr.js";

const MIN_SIZE = 3;

interface Candidate {
  id: number; // interned versioned key: structure + generation of every ref it reads
  size: number;
  count: number;
  first: number; // index of the first statement using it
  expr: IRExpr;
}

const refId = (r: Ref): string => `${r.space}:${r.name}`;

/** The expressions a statement evaluates at this level (an `if` contributes its condition only). */
function ownExprs(s: IRStmt): IRExpr[] {
  return s.k === "if" ? [s.c] : [s.value];
}

/** Versioned key of `e` under the current generations (exprKey plus the generations it reads): the order of
 *  candidates of equal size and first use, as before keys were interned. */
function versionedKey(e: IRExpr, gen: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  forEachRef(e, (r) => parts.push(`${refId(r)}@${gen.get(refId(r)) ?? 0}`));
  return `${exprKey(e)}|${parts.join(",")}`;
}

/** Interned versioned keys: a node's key is its operator and its children's ids, so keying every subtree of a
 *  statement costs time linear in its size (a key string per subtree was quadratic on long chains). */
class Keys {
  private readonly ids = new Map<string, number>();
  private intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.ids.size));
    return id;
  }
  /** Id and size of `e` under generations `gen`; `each` sees every subtree after its children. */
  walk(
    e: IRExpr,
    gen: ReadonlyMap<string, number>,
    each: (e: IRExpr, id: number, size: number) => void,
  ): { id: number; size: number } {
    let id: number;
    let n = 1;
    if (e.k === "ref") id = this.intern(`${refId(e.ref)}@${gen.get(refId(e.ref)) ?? 0}`);
    else if (e.k === "num" || e.k === "bool") id = this.intern(exprKey(e));
    else {
      const ids: number[] = [];
      for (const c of children(e)) {
        const r = this.walk(c, gen, each);
        ids.push(r.id);
        n += r.size;
      }
      const head = e.k === "bin" ? `b${e.op}` : e.k === "call" ? `c${e.fn}` : e.k;
      id = this.intern(`${head}(${ids.join(",")})`);
    }
    each(e, id, n);
    return { id, size: n };
  }
}

function assignedBy(s: IRStmt): string[] {
  if (s.k === "let") return [`local:${s.name}`];
  const out: string[] = [];
  forEachTarget([s], (r) => out.push(refId(r)));
  return out;
}

function collect(stmts: readonly IRStmt[], keys: Keys): Map<number, Candidate> {
  const gen = new Map<string, number>();
  const cands = new Map<number, Candidate>();
  stmts.forEach((s, idx) => {
    for (const root of ownExprs(s))
      keys.walk(root, gen, (e, id, n) => {
        if (n < MIN_SIZE) return;
        const c = cands.get(id);
        if (c) c.count++;
        else cands.set(id, { id, size: n, count: 1, first: idx, expr: e });
      });
    for (const id of assignedBy(s)) gen.set(id, (gen.get(id) ?? 0) + 1);
  });
  return cands;
}

/** The candidate to extract: the largest, then the first used, then the least versioned key. */
function best(cands: readonly Candidate[], stmts: readonly IRStmt[]): Candidate {
  const size = cands.reduce((m, c) => Math.max(m, c.size), 0);
  let top = cands.filter((c) => c.size === size);
  const first = top.reduce((m, c) => Math.min(m, c.first), Infinity);
  top = top.filter((c) => c.first === first);
  if (top.length === 1) return top[0]!;
  // the generations at the statement of first use: those of the statements before it
  const gen = new Map<string, number>();
  for (const s of stmts.slice(0, top[0]!.first)) for (const id of assignedBy(s)) gen.set(id, (gen.get(id) ?? 0) + 1);
  const keyed = top.map((c) => ({ c, key: versionedKey(c.expr, gen) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed[0]!.c;
}

/** Replaces occurrences with interned key `target` by `local` in statement expressions. */
function replaceIn(stmts: readonly IRStmt[], target: number, name: string, keys: Keys): IRStmt[] {
  const gen = new Map<string, number>();
  const replaced = new Map<IRExpr, IRExpr>();
  const go = (root: IRExpr): IRExpr => {
    keys.walk(root, gen, (e, id) => {
      if (id === target) replaced.set(e, ref("local", name));
      else {
        const cs = children(e);
        if (cs.some((c) => replaced.has(c)))
          replaced.set(
            e,
            withChildren(
              e,
              cs.map((c) => replaced.get(c) ?? c),
            ),
          );
      }
    });
    return replaced.get(root) ?? root;
  };
  return stmts.map((s) => {
    let out: IRStmt;
    if (s.k === "if") out = { ...s, c: go(s.c) };
    else out = { ...s, value: go(s.value) } as IRStmt;
    for (const id of assignedBy(s)) gen.set(id, (gen.get(id) ?? 0) + 1);
    return out;
  });
}

function localsOf(stmts: readonly IRStmt[], into: Set<string>): void {
  for (const s of stmts) {
    if (s.k === "let") into.add(s.name);
    else if (s.k === "if") {
      localsOf(s.then, into);
      localsOf(s.otherwise, into);
    }
  }
}

/** CSE on one statement list (and, recursively, the branches of its `if`s). */
export function cseStmts(stmts: readonly IRStmt[], fresh: () => string): IRStmt[] {
  let cur: IRStmt[] = stmts.map((s) =>
    s.k === "if" ? { ...s, then: cseStmts(s.then, fresh), otherwise: cseStmts(s.otherwise, fresh) } : s,
  );
  const keys = new Keys();
  for (let guard = 0; guard < 1000; guard++) {
    const cands = [...collect(cur, keys).values()].filter((c) => c.count >= 2);
    if (cands.length === 0) break;
    const pick = best(cands, cur);
    const name = fresh();
    const replaced = replaceIn(cur, pick.id, name, keys);
    const at = replaced[pick.first]?.span; // the new local takes the span of its first use's statement
    const decl: IRStmt = at ? { k: "let", name, value: pick.expr, span: at } : { k: "let", name, value: pick.expr };
    cur = [...replaced.slice(0, pick.first), decl, ...replaced.slice(pick.first)];
  }
  return cur;
}

function namer(taken: Set<string>): () => string {
  let n = 0;
  return () => {
    while (taken.has(`cse_${n}`)) n++;
    const name = `cse_${n++}`;
    taken.add(name);
    return name;
  };
}

function cseGroup(g: IRGroup): IRGroup {
  const taken = new Set<string>();
  [g.update, g.reset, g.onSynapsePre, g.onSynapsePost].forEach((l) => localsOf(l, taken));
  const fresh = namer(taken);
  return {
    ...g,
    update: cseStmts(g.update, fresh),
    reset: cseStmts(g.reset, fresh),
    onSynapsePre: cseStmts(g.onSynapsePre, fresh),
    onSynapsePost: cseStmts(g.onSynapsePost, fresh),
  };
}

function cseProjection(p: IRProjection): IRProjection {
  const taken = new Set<string>();
  [p.onPre, p.onPost, p.continuous].forEach((l) => localsOf(l, taken));
  const fresh = namer(taken);
  return {
    ...p,
    onPre: cseStmts(p.onPre, fresh),
    onPost: cseStmts(p.onPost, fresh),
    continuous: cseStmts(p.continuous, fresh),
  };
}

export function eliminateCommonSubexpressions(p: IRProgram): IRProgram {
  return { ...p, groups: p.groups.map(cseGroup), projections: p.projections.map(cseProjection) };
}
