// Tests for common subexpression elimination.
import { describe, expect, test } from "@jest/globals";
import type { IRStmt } from "../../compiler/ir/nodes.js";
import { add, call, mul, num, ref } from "../../compiler/ir/expr.js";
import { printStmts } from "../../compiler/ir/print.js";
import { cseStmts } from "../../compiler/passes/cse.js";
import { applyPass, group, program, run } from "../ir/helpers.js";

const a = ref("state", "a");
const b = ref("state", "b");
const show = (ss: IRStmt[]) => printStmts(ss, "");
const fresh = () => {
  let n = 0;
  return () => `cse_${n++}`;
};

describe("cse", () => {
  test("a repeated subexpression becomes one local before its first use", () => {
    const e = call("exp", mul(a, num(2)));
    const out = cseStmts(
      [
        { k: "let", name: "p", value: add(e, num(1)) },
        { k: "let", name: "q", value: mul(e, b) },
      ],
      fresh(),
    );
    expect(show(out)).toEqual(["let cse_0 = exp(a * 2)", "let p = cse_0 + 1", "let q = cse_0 * b"]);
  });

  test("no sharing across an assignment to something the expression reads", () => {
    const e = mul(a, b);
    const stmts: IRStmt[] = [
      { k: "assign", target: { space: "state", name: "b" }, value: add(e, num(1)) },
      { k: "assign", target: { space: "state", name: "a" }, value: add(e, num(2)) },
    ];
    const out = cseStmts(stmts, fresh());
    expect(out).toEqual(stmts);
    // and the meaning is kept
    const env1 = { state: { a: 2, b: 3 } };
    const env2 = { state: { a: 2, b: 3 } };
    run(stmts, env1);
    run(out, env2);
    expect(env2.state).toEqual(env1.state);
  });

  test("small expressions (< 3 nodes) are left alone; naming is deterministic", () => {
    const stmts: IRStmt[] = [
      { k: "let", name: "p", value: add(a, b) },
      { k: "let", name: "q", value: add(a, b) },
    ];
    const one = cseStmts(stmts, fresh());
    expect(show(one)).toEqual(["let cse_0 = a + b", "let p = cse_0", "let q = cse_0"]);
    expect(cseStmts(stmts, fresh())).toEqual(one);
    expect(
      cseStmts(
        [
          { k: "let", name: "p", value: a },
          { k: "let", name: "q", value: a },
        ],
        fresh(),
      ),
    ).toHaveLength(2);
  });

  test("the pass keeps results and avoids clashing with existing locals", () => {
    const e = mul(add(a, b), num(3));
    const g = group({
      name: "n",
      methods: {},
      update: [
        { k: "let", name: "cse_0", value: num(1) },
        { k: "let", name: "t1", value: add(e, ref("local", "cse_0")) },
        { k: "assign", target: { space: "state", name: "b" }, value: mul(add(a, b), num(3)) },
        { k: "assign", target: { space: "state", name: "a" }, value: add(mul(add(a, b), num(3)), ref("local", "t1")) },
      ],
    });
    const p = applyPass("cse", program({ groups: [g], passes: ["solve-odes"] }));
    const upd = p.groups[0]!.update;
    expect(show(upd)).toEqual([
      "let cse_0 = 1",
      "let cse_1 = (a + b) * 3",
      "let t1 = cse_1 + cse_0",
      "b = cse_1",
      "a = (a + b) * 3 + t1",
    ]);
    const env1 = { state: { a: 1, b: 2 } };
    const env2 = { state: { a: 1, b: 2 } };
    run(g.update, env1);
    run(upd, env2);
    expect(env2.state).toEqual(env1.state);
    expect(p.passes).toEqual(["solve-odes", "cse"]);
  });
});
