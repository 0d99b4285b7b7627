// A 5 MB list literal inside a .glia file (issue 17): `from_list([...], [...])` with 511,257 synapses used to run
// out of memory (two tokens and a dozen CST nodes per item: 500 KB took 676 MB and 12.5 s, 5 MB passed 3.3 GB and
// did not finish in 300 s). Long lists of plain numbers are now one token (compiler/syntax/number-list.ts): the
// 5 MB file checks and runs, an item's diagnostic still has its own line and column, and lists that do not
// qualify (an index list after a name, a unit inside, fewer than MIN_ITEMS items) parse as before.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { MIN_ITEMS } from "../../compiler/syntax/number-list.js";

const net = (connect: string, size = 1000): string => `import "std/lif.glia"
import "std/static.glia"
network N {
  dt = 0.1 ms
  population a = LIF[${size}]
${connect}
  record spikes of a
  run 20 ms
}
`;

/** pre and post index lists of about `bytes` bytes together, one item per 8 on a line. */
function lists(bytes: number): { pre: string; post: string; n: number } {
  const pre: string[] = [];
  const post: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    pre.push(String(i % 1000));
    post.push(String((i * 7) % 1000));
    size += pre[i]!.length + post[i]!.length + 4;
  }
  const join = (xs: string[]): string => xs.map((x, i) => (i > 0 && i % 8 === 0 ? "\n    " : "") + x).join(", ");
  return { pre: join(pre), post: join(post), n: pre.length };
}

async function cli(args: string[], src: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo({ "a.glia": src });
  const t0 = performance.now();
  const code = await runCli([args[0]!, "a.glia", ...args.slice(1)], io);
  expect(performance.now() - t0).toBeLessThan(60000);
  expect(io.stderr).not.toMatch(/internal error|heap|Maximum call stack/);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("5 MB list literals (issue 17)", () => {
  test("from_list with 5 MB of indices: checks and runs, every item a synapse", async () => {
    const l = lists(5_000_000);
    const src = net(`  connect a -> a with Static(w = 0.1 mV) onto ge from_list([${l.pre}], [${l.post}])`);
    expect(src.length).toBeGreaterThan(5_000_000);
    expect((await cli(["check"], src)).code).toBe(0);
    const r = await cli(["run", "--target", "reference", "--json"], src);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).synapses).toBe(l.n);
  }, 120000);

  test("an item out of range deep in a long list: E0503 at that item's line and column", async () => {
    const l = lists(20000);
    const post = l.post.replace(/(\n {4})(\d+)(, )/, "$1" + "1000" + "$3"); // the first item of the 2nd line
    const src = net(`  connect a -> a with Static(w = 0.1 mV) onto ge from_list([${l.pre}], [${post}])`);
    const line = src.split("\n").findIndex((x, i) => i > 6 && x.startsWith("    1000, ")) + 1;
    expect(line).toBeGreaterThan(7);
    const r = await cli(["check"], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${line}:5: error[E0503]`);
    expect(r.stderr).toContain("index 1000 is out of range");
  });

  test("which lists become one token", () => {
    const items = (n: number, f = (i: number) => String(i)): string =>
      Array.from({ length: n }, (_, i) => f(i)).join(", ");
    const kinds = (src: string): string[] => lex(src, "a.glia").tokens.map((t) => t.tokenType.name);
    expect(kinds(`x = [${items(MIN_ITEMS)}]`)).toEqual(["Identifier", "Assign", "NumberList"]);
    expect(kinds(`f([${items(MIN_ITEMS)}], [0.5, 1.25])`)).toContain("NumberList");
    // fewer items, a unit, a sign, an exponent, or an index list after a name: ordinary tokens
    for (const src of [
      `x = [${items(MIN_ITEMS - 1)}]`,
      `x = [${items(MIN_ITEMS)}, 3 ms]`,
      `x = [${items(MIN_ITEMS)}, -3]`,
      `x = [${items(MIN_ITEMS)}, 1e3]`,
      `record w of p[${items(MIN_ITEMS)}]`,
    ])
      expect(kinds(src)).not.toContain("NumberList");
  });

  test("a long index list after a projection name and a long list with units still parse and check", async () => {
    const idx = Array.from({ length: 40 }, (_, i) => String(i)).join(", ");
    const times = Array.from({ length: 40 }, (_, i) => `${i + 1} ms`).join(", ");
    const zeros = Array.from({ length: 40 }, () => "0").join(", ");
    const src = net(
      `  input s = spike_times(times = [${times}], indices = [${zeros}])[1]\n` +
        `  connect p: s -> a with Static(w = 0.1 mV) onto ge all_to_all\n  record w of p[${idx}]`,
    );
    const r = await cli(["check"], src);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
