// Tests for inline-aliases, dead-state and event-driven traces.
import { describe, expect, test } from "@jest/globals";
import type { IRExpr, IRStmt } from "../../compiler/ir/nodes.js";
import { add, div, mul, neg, num, ref } from "../../compiler/ir/expr.js";
import { printExpr, printStmts } from "../../compiler/ir/print.js";
import { inlineAliases } from "../../compiler/passes/inline-aliases.js";
import { eliminateDeadState } from "../../compiler/passes/dead-state.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { applyPass, group, perElem, program, projection, run, scalar } from "../ir/helpers.js";

const S = (n: string) => ref("state", n);
const st = (name: string) => ({ name, dim: "1", init: { k: "expr" as const, e: num(0) }, perElement: false });

describe("inline-aliases", () => {
  test("aliases (also using other aliases) are substituted everywhere and emptied", () => {
    const g = group({
      name: "n",
      state: [st("v")],
      aliases: [
        { name: "a", expr: mul(S("v"), num(2)) },
        { name: "b", expr: add(ref("alias", "a"), num(1)) },
      ],
      odes: [{ name: "v", rhs: neg(ref("alias", "b")) }],
      threshold: { k: "bin", op: ">", a: ref("alias", "a"), b: num(3) },
    });
    const p = inlineAliases(program({ groups: [g] }));
    const out = p.groups[0]!;
    expect(out.aliases).toEqual([]);
    expect(printExpr(out.odes[0]!.rhs)).toBe("-(v * 2 + 1)");
    expect(printExpr(out.threshold!)).toBe("v * 2 > 3");
    expect(verifyIR(p)).toEqual([]);
  });
});

describe("dead-state", () => {
  const g = group({
    name: "n",
    params: [scalar("tau", 1), scalar("unused", 5), scalar("k", 2)],
    state: [st("v"), st("w"), st("hidden"), st("hidden2"), st("shown")],
    odes: [
      { name: "v", rhs: div(neg(S("w")), ref("param", "tau")) },
      { name: "w", rhs: neg(S("w")) },
      { name: "hidden", rhs: add(S("hidden2"), S("v")) }, // nothing reads hidden
      { name: "hidden2", rhs: neg(S("hidden")) },
      { name: "shown", rhs: neg(S("shown")) },
    ],
    threshold: { k: "bin", op: ">", a: S("v"), b: ref("param", "k") },
    refractory: { steps: 2, clamp: ["v", "hidden"] },
  });

  test("keeps what thresholds, monitors and live ODEs read; drops the rest to a fixed point", () => {
    const p = eliminateDeadState(
      program({
        groups: [g],
        monitors: [{ k: "state", variable: "shown", target: { population: "n", start: 0, end: 1 }, everySteps: 1 }],
      }),
    );
    const out = p.groups[0]!;
    expect(out.state.map((v) => v.name)).toEqual(["v", "w", "shown"]);
    expect(out.params.map((v) => v.name)).toEqual(["tau", "k"]);
    expect(out.odes.map((o) => o.name)).toEqual(["v", "w", "shown"]);
    expect(out.refractory!.clamp).toEqual(["v"]);
    expect(verifyIR(p)).toEqual([]);
  });

  test("reads from synapses (post.x) and handler targets keep variables live", () => {
    const pr = projection({
      name: "p",
      pre: "n",
      post: "n",
      state: [st("trace"), st("junk")],
      odes: [
        { name: "trace", rhs: neg(S("trace")) },
        { name: "junk", rhs: neg(S("junk")) },
      ],
      onPre: [
        { k: "assign", target: { space: "post", name: "hidden" }, value: add(ref("post", "hidden"), S("trace")) },
      ],
    });
    const p = eliminateDeadState(program({ groups: [g], projections: [pr] }));
    expect(p.groups[0]!.state.map((v) => v.name)).toEqual(["v", "w", "hidden", "hidden2"]);
    expect(p.projections[0]!.state.map((v) => v.name)).toEqual(["trace"]);
  });
});

describe("event-driven", () => {
  const pr = projection({
    name: "stdp",
    pre: "n",
    post: "n",
    params: [scalar("tau", 0.02), perElem("tau_h", 0.01)],
    state: [st("w"), st("apre"), st("x"), st("h")],
    odes: [
      { name: "apre", rhs: div(neg(S("apre")), ref("param", "tau")) },
      { name: "x", rhs: num(3) }, // a = 0
      { name: "h", rhs: div(add(neg(S("h")), num(1)), ref("param", "tau_h")) }, // per-element coefficient
    ],
    onPre: [{ k: "assign", target: { space: "state", name: "w" }, value: add(S("w"), S("apre")) }],
  });
  const g = group({ name: "n", state: [st("v")] });

  test("ODEs become a closed-form prefix of the handlers; lists and verifies", () => {
    const p = applyPass("event-driven", program({ groups: [g], projections: [pr] }));
    const out = p.projections[0]!;
    expect(out.odes).toEqual([]);
    expect(out.eventDriven).toEqual(["apre", "x", "h"]);
    expect(out.onPost).toEqual([]); // no post handler: nothing to prefix
    expect(printStmts(out.onPre.slice(0, 2), "")).toEqual([
      "let apre__new = apre * exp(-50 * elapsed)",
      "let x__new = x + 3 * elapsed",
    ]);
    expect(verifyIR(p)).toEqual([]);
  });

  test("the prefix equals the exact solution over any elapsed time", () => {
    const out = applyPass("event-driven", program({ groups: [g], projections: [pr] })).projections[0]!;
    const el = 0.0137;
    const env = { state: { w: 0, apre: 0.5, x: 1, h: 0.2 }, elapsed: el, params: { tau_h: 0.01 } };
    run(out.onPre, env);
    expect(env.state.apre).toBeCloseTo(0.5 * Math.exp(-el / 0.02), 15);
    expect(env.state.x).toBeCloseTo(1 + 3 * el, 15);
    expect(env.state.h).toBeCloseTo(1 + (0.2 - 1) * Math.exp(-el / 0.01), 14);
    expect(env.state.w).toBeCloseTo(env.state.apre, 15); // the handler body sees advanced traces
  });

  test("a continuous block that reads a trace gets the prefix too", () => {
    const c: IRStmt[] = [
      { k: "assign", target: { space: "post", name: "v" }, value: add(ref("post", "v"), S("apre")) },
    ];
    const out = applyPass("event-driven", program({ groups: [g], projections: [{ ...pr, continuous: c }] }))
      .projections[0]!;
    expect(out.continuous.length).toBe(c.length + 6);
    const e: IRExpr = (out.continuous.at(-1) as { value: IRExpr }).value;
    expect(printExpr(e)).toBe("post.v + apre");
  });
});
