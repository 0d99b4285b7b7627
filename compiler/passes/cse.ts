// Pass "cse": common subexpression elimination per statement list. A subexpression of at least 3
// nodes that occurs twice or more with the same values (no assignment to what it reads in between)
// becomes `let cse_N = ...` placed just before its first use. Largest candidates first, repeated
// until none is left. In: an IRProgram; out: a new IRProgram (the pass manager appends "cse").

import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, Ref } from "../ir/nodes.js";
import { children, exprKey, forEachRef, forEachTarget, ref, size, withChildren } from "../ir/expr.js";

const MIN_SIZE = 3;

interface Candidate {
  key: string; // versioned key: structure + generation of every ref it reads
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

/** Versioned key of `e` under the current generations (exprKey plus the generations it reads). */
function versionedKey(e: IRExpr, gen: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  forEachRef(e, (r) => parts.push(`${refId(r)}@${gen.get(refId(r)) ?? 0}`));
  return `${exprKey(e)}|${parts.join(",")}`;
}

function assignedBy(s: IRStmt): string[] {
  if (s.k === "let") return [`local:${s.name}`];
  const out: string[] = [];
  forEachTarget([s], (r) => out.push(refId(r)));
  return out;
}

function collect(stmts: readonly IRStmt[]): Map<string, Candidate> {
  const gen = new Map<string, number>();
  const cands = new Map<string, Candidate>();
  stmts.forEach((s, idx) => {
    const visit = (e: IRExpr): void => {
      const n = size(e);
      if (n >= MIN_SIZE) {
        const key = versionedKey(e, gen);
        const c = cands.get(key);
        if (c) c.count++;
        else cands.set(key, { key, size: n, count: 1, first: idx, expr: e });
      }
      children(e).forEach(visit);
    };
    ownExprs(s).forEach(visit);
    for (const id of assignedBy(s)) gen.set(id, (gen.get(id) ?? 0) + 1);
  });
  return cands;
}

/** Replaces occurrences with versioned key `key` by `local` in statement expressions. */
function replaceIn(stmts: readonly IRStmt[], key: string, name: string): IRStmt[] {
  const gen = new Map<string, number>();
  const go = (e: IRExpr): IRExpr => {
    if (size(e) >= MIN_SIZE && versionedKey(e, gen) === key) return ref("local", name);
    const cs = children(e);
    return cs.length === 0 ? e : withChildren(e, cs.map(go));
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
  for (let guard = 0; guard < 1000; guard++) {
    const cands = [...collect(cur).values()].filter((c) => c.count >= 2);
    if (cands.length === 0) break;
    cands.sort((a, b) => b.size - a.size || a.first - b.first || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const best = cands[0]!;
    const name = fresh();
    const replaced = replaceIn(cur, best.key, name);
    const at = replaced[best.first]?.span; // the new local takes the span of its first use's statement
    const decl: IRStmt = at ? { k: "let", name, value: best.expr, span: at } : { k: "let", name, value: best.expr };
    cur = [...replaced.slice(0, best.first), decl, ...replaced.slice(best.first)];
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
