// Call and constructor arguments: `pre`/`post` are reserved words but valid argument names.
import { describe, expect, test } from "@jest/globals";

describe("from_list with named pre/post lists", () => {
  test("pre = [...] and post = [...] are argument names, pre.v is still a member", async () => {
    const { parseSource } = await import("../../compiler/syntax/parse.js");
    const src =
      "network N {\n  connect a -> b with S from_list(pre = [0, 1], post = [1, 2])\n  connect a -> b with S(w = pre.v) all_to_all\n  run 1 ms\n}\n";
    const { ast, diagnostics } = parseSource(src, "f.glia");
    expect(diagnostics).toEqual([]);
    const items = ast.networks[0]!.items;
    const c0 = items[0]!;
    const c1 = items[1]!;
    if (c0.kind !== "Connect" || c1.kind !== "Connect") throw new Error("expected connects");
    expect(c0.rule.args.map((a) => a.name)).toEqual(["pre", "post"]);
    expect(c1.args[0]!.value.kind).toBe("Member");
  });
});
