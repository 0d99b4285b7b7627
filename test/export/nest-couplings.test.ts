// `glia export --to nest` for continuous couplings, in process (no Python): examples/gap_junctions.glia's gap
// junctions (one-way and pairwise) and test/fixtures/nest/couplings_exact.glia's summed couplings become run.py's
// per-step exchange (targets/export/nest/couplings.ts) between NESTML neurons; what it cannot reproduce is refused at
// the construct (E0808). Live: test/peers/export-nest-couplings.test.ts.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const GAP = fs.readFileSync(path.join(REPO_ROOT, "examples/gap_junctions.glia"), "utf8");
const ONE_WAY = "  continuous { post.I_ext += g_gap * (pre.v - post.v) }\n";

async function nestErrors(src: string): Promise<string> {
  const io = captureIo({ "m.glia": src });
  expect(await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io)).toBe(1);
  return io.stderr;
}

/** The 1-based line of the first line of `src` starting with `start`. */
const lineOf = (src: string, start: string): number => src.split("\n").findIndex((l) => l.startsWith(start)) + 1;

describe("glia export --to nest: continuous couplings", () => {
  test("examples/gap_junctions.glia: NESTML neurons, the couplings evaluated by run.py before every step", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/gap_junctions.glia", "--to", "nest", "-o", "n"], io)).toBe(0);
    const py = io.files.get("n/run.py")!;
    // read v of both groups, write I_ext, which no spike port adds to (its value before phase 0 is 0)
    expect(py).toContain('COUPLING_READS = [("cells", "v", "v"), ("ring", "v", "v")]\n');
    expect(py).toContain('COUPLING_INPUTS = [("cells", "I_ext", "I_ext", False), ("ring", "I_ext", "I_ext", False)]\n');
    expect(py).toContain(
      '    out.append(("cells", "I_ext", post, (2e-9 * (V["cells", "v"][pre] - V["cells", "v"][post]))))\n',
    );
    // GapPair adds to both of its cells, post first, as glia's block is written
    expect(py).toContain(
      '    out.append(("ring", "I_ext", post, (2e-9 * (V["ring", "v"][pre] - V["ring", "v"][post]))))\n' +
        '    out.append(("ring", "I_ext", pre, (2e-9 * (V["ring", "v"][post] - V["ring", "v"][pre]))))\n',
    );
    expect(py).toContain('COUPLINGS = [("cells_cells", coupling_cells_cells), ("ring_ring", coupling_ring_ring)]\n');
    expect(py).toContain('    syn = load(data, "proj_cells_cells.csv")\n    syn["pre"], syn["post"]');
    // every run of the kernel goes through advance(): one step at a time with the exchange before each
    expect(py).not.toMatch(/nest\.Simulate\((?!ms\))/);
    expect(py).toContain("            couple(nodes)\n            nest.Run(DT * 1e3)");
    expect(io.files.get("n/nestml/glia_cells_neuron.nestml")).toContain("        I_ext real = 0.0\n");
    expect(io.files.get("n/README.md")).toContain("continuous couplings (cells_cells, ring_ring)");
  });

  test("an input a spiking synapse also adds to is read back before the couplings add (per-synapse g_gap)", async () => {
    const io = captureIo();
    expect(await runCli(["export", "test/fixtures/nest/couplings_exact.glia", "--to", "nest", "-o", "n"], io)).toBe(0);
    const py = io.files.get("n/run.py")!;
    expect(py).toContain(
      'COUPLING_INPUTS = [("exc", "I_sub", "I_sub", False), ("exc", "g_div", "g_div", False), ("cells", "I_ext", "I_ext", True)]\n',
    );
    expect(py).toContain('(S["g_gap"] * (V["cells", "v"][pre] - V["cells", "v"][post]))');
    expect(py).toContain('    out.append(("exc", "g_div", post, (0.3 * V["pv", "act"][pre])))\n');
  });

  test("a coupling in a synapse with `on pre` is refused at its continuous block", async () => {
    const src = GAP.replace(ONE_WAY, ONE_WAY + "  on pre { post.I_ext += 1 pA }\n");
    expect(await nestErrors(src)).toContain(
      `m.glia:${lineOf(src, ONE_WAY.trimEnd())}:3: error[E0808]: cannot export to nest: the synapse GapJunction of cells_cells: a continuous coupling in a synapse with event handlers (NEST runs a coupling projection as a per-step exchange, apart from its synapses)\n`,
    );
  });

  test("an `if` in a coupling is refused at the statement", async () => {
    const src = GAP.replace(
      ONE_WAY,
      "  continuous {\n    if pre.v > -60 mV { post.I_ext += g_gap * (pre.v - post.v) }\n  }\n",
    );
    expect(await nestErrors(src)).toContain(
      `m.glia:${lineOf(src, "    if pre.v > -60 mV")}:5: error[E0808]: cannot export to nest: the synapse GapJunction of cells_cells: a branch (\`if\`) in a continuous coupling\n`,
    );
  });

  test("a coupling reading t, or an input, is refused at the statement", async () => {
    const t = GAP.replace(ONE_WAY, "  continuous { post.I_ext += g_gap * (pre.v - post.v) * (1 + t / 1 s) }\n");
    expect(await nestErrors(t)).toContain(
      `m.glia:${lineOf(t, "  continuous { post.I_ext += g_gap * (pre.v - post.v) * (1")}:16: error[E0808]: cannot export to nest: the synapse GapJunction of cells_cells: a continuous coupling reading t (NEST's per-step exchange reads pre/post state and synapse values)\n`,
    );
    const input = GAP.replace(ONE_WAY, "  continuous { post.I_ext += g_gap * (pre.v - post.v) + 0.01 * pre.I_ext }\n");
    expect(await nestErrors(input)).toContain(
      `m.glia:${lineOf(input, "  continuous { post.I_ext += g_gap * (pre.v - post.v) + 0.01")}:16: error[E0808]: cannot export to nest: the synapse GapJunction of cells_cells: a continuous coupling reading the input pre.I_ext (glia reads it part-way through phase 0's sums, which run.py's per-step exchange does not reproduce)\n`,
    );
  });
});
