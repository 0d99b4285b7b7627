// Pass "cse": common subexpression elimination per statement list. A subexpression of at least 3
// nodes that occurs twice or more with the same values (no assignment to what it reads in between)
// becomes `let cse_N = ...` placed just before its first use. Largest candidates first, repeated
// until none is left. In: an IRProgram; out: a new IRProgram (the pass manager appends "cse").

import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, Ref } from "../ir/nodes.js";
import { children, exprKey, forEachRef, forEachTarget, ref, withChildren } from "../ir/expr.js";

const MIN_SIZE = 3;

interface Candidate {
  id: number; // structural id: structure + generation of every ref it reads
  size: number;
  count: number;
  first: number; // index of the first statement using it
  expr: IRExpr;
  /** Generations in force at its first use (for the tie-break key, computed only on a tie). */
  gen: ReadonlyMap<string, number>;
}

const refId = (r: Ref): string => `${r.space}:${r.name}`;

/** The expressions a statement evaluates at this level (an `if` contributes its condition only). */
function ownExprs(s: IRStmt): IRExpr[] {
  return s.k === "if" ? [s.c] : [s.value];
}

/** Versioned key of `e` under the current generations (exprKey plus the generations it reads). */
function versionedKey(e: IRExpr, gen: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  forEachRef(e, (r) => parts.push(`${refId(r)}@${gen.get(refId(r)) ?? 0}`));
  return `${exprKey(e)}|${parts.join(",")}`;
}

/** Structural ids of subexpressions, bottom up: a node's key is its operator and its children's ids, so each node
 * costs constant work (comparing whole keys of every subtree was quadratic in the depth of an expression). Equal
 * ids mean equal versioned keys. */
class Interner {
  private readonly ids = new Map<string, number>();
  private memo = new WeakMap<IRExpr, { id: number; size: number }>();

  /** Forget per-node results (the generations changed). */
  reset(): void {
    this.memo = new WeakMap();
  }

  of(e: IRExpr, gen: ReadonlyMap<string, number>): { id: number; size: number } {
    const known = this.memo.get(e);
    if (known) return known;
    let key: string;
    let size = 1;
    if (e.k === "ref") key = `r ${refId(e.ref)}@${gen.get(refId(e.ref)) ?? 0}`;
    else if (e.k === "num") key = Object.is(e.v, -0) ? "#-0" : `#${e.v}`;
    else if (e.k === "bool") key = e.v ? "#true" : "#false";
    else {
      const head = e.k === "bin" ? `bin ${e.op}` : e.k === "call" ? `call ${e.fn}` : e.k;
      const parts = [head];
      for (const c of children(e)) {
        const r = this.of(c, gen);
        parts.push(String(r.id));
        size += r.size;
      }
      key = parts.join(" ");
    }
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    const out = { id, size };
    this.memo.set(e, out);
    return out;
  }
}

function assignedBy(s: IRStmt): string[] {
  if (s.k === "let") return [`local:${s.name}`];
  const out: string[] = [];
  forEachTarget([s], (r) => out.push(refId(r)));
  return out;
}

function collect(stmts: readonly IRStmt[], ids: Interner): Map<number, Candidate> {
  const gen = new Map<string, number>();
  const cands = new Map<number, Candidate>();
  stmts.forEach((s, idx) => {
    ids.reset();
    const snapshot = new Map(gen);
    const visit = (e: IRExpr): void => {
      const { id, size: n } = ids.of(e, gen);
      if (n >= MIN_SIZE) {
        const c = cands.get(id);
        if (c) c.count++;
        else cands.set(id, { id, size: n, count: 1, first: idx, expr: e, gen: snapshot });
      }
      children(e).forEach(visit);
    };
    ownExprs(s).forEach(visit);
    for (const id of assignedBy(s)) gen.set(id, (gen.get(id) ?? 0) + 1);
  });
  return cands;
}

/** Replaces occurrences of structural id `id` by `local` in statement expressions. */
function replaceIn(stmts: readonly IRStmt[], ids: Interner, id: number, name: string): IRStmt[] {
  const gen = new Map<string, number>();
  const go = (e: IRExpr): IRExpr => {
    const r = ids.of(e, gen);
    if (r.size >= MIN_SIZE && r.id === id) return ref("local", name);
    const cs = children(e);
    return cs.length === 0 ? e : withChildren(e, cs.map(go));
  };
  return stmts.map((s) => {
    ids.reset();
    let out: IRStmt;
    if (s.k === "if") out = { ...s, c: go(s.c) };
    else out = { ...s, value: go(s.value) } as IRStmt;
    for (const id of assignedBy(s)) gen.set(id, (gen.get(id) ?? 0) + 1);
    return out;
  });
}

/** Largest first, then earliest first use, then the smaller versioned key (computed only for such ties). */
function best(cands: Candidate[]): Candidate {
  let top = cands[0]!;
  let topKey: string | undefined;
  for (const c of cands.slice(1)) {
    if (c.size !== top.size ? c.size > top.size : c.first !== top.first ? c.first < top.first : false) {
      top = c;
      topKey = undefined;
    } else if (c.size === top.size && c.first === top.first) {
      topKey ??= versionedKey(top.expr, top.gen);
      const key = versionedKey(c.expr, c.gen);
      if (key < topKey) {
        top = c;
        topKey = key;
      }
    }
  }
  return top;
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
  for (let guard = 0; guard < 1000; guard++) {
    const ids = new Interner();
    const cands = [...collect(cur, ids).values()].filter((c) => c.count >= 2);
    if (cands.length === 0) break;
    const chosen = best(cands);
    const name = fresh();
    const replaced = replaceIn(cur, ids, chosen.id, name);
    const at = replaced[chosen.first]?.span; // the new local takes the span of its first use's statement
    const decl: IRStmt = at ? { k: "let", name, value: chosen.expr, span: at } : { k: "let", name, value: chosen.expr };
    cur = [...replaced.slice(0, chosen.first), decl, ...replaced.slice(chosen.first)];
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
