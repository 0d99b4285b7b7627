// `glia export --to nest` of astrocytes on their own clock (targets/export/nest/astro-clock.ts), in process: refused
// with E0808 at the part NEST cannot express (astro.X read by a synapse, a continuous coupling from the astrocytes),
// or at the astrocyte model when nothing couples it; exact codes, places and messages.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

async function refusals(file: string, src?: string): Promise<string[]> {
  const io = captureIo(src === undefined ? {} : { [file]: src });
  expect(await runCli(["export", file, "--to", "nest", "-o", "x"], io)).toBe(1);
  expect(io.files.size).toBe(0);
  return io.stderr.split("\n").filter((l) => l.includes("error[E0808]"));
}

describe("glia export --to nest: astrocytes on their own clock", () => {
  test("astro_tripartite: astro.release read by the synapse, and the SIC coupling", async () => {
    const lines = await refusals("examples/astro_tripartite.glia");
    expect(lines).toContain(
      "examples/astro_tripartite.glia:35:31: error[E0808]: cannot export to nest: astro.release of the astrocytes astrocytes (GatingAstrocyte, on their own clock (every 50 steps of 0.1 ms)) read by the synapse GatedStatic of syn",
    );
    expect(lines).toContain(
      "examples/astro_tripartite.glia:44:3: error[E0808]: cannot export to nest: the continuous coupling AstroSIC of astrocytes_cells from the astrocytes astrocytes (GatingAstrocyte, on their own clock (every 50 steps of 0.1 ms))",
    );
    // no longer "its equations are not NEST's astrocyte_lr_1994" at the model
    expect(lines.join("\n")).not.toContain("astrocyte_lr_1994 (an astrocyte on its own clock");
  });

  test("astro_lsm_branching: astro.drive read by the STDP synapse", async () => {
    expect(await refusals("examples/astro_lsm_branching.glia")).toContain(
      "examples/astro_lsm_branching.glia:55:33: error[E0808]: cannot export to nest: astro.drive of the astrocytes astrocytes (BranchingAstrocyte, on their own clock (every 2 steps of 0.5 ms)) read by the synapse AstroSTDP of rec",
    );
  });

  test("li_rinzel_sic: the SIC coupling from astrocytes on a 10 ms clock", async () => {
    expect(await refusals("examples/li_rinzel_sic.glia")).toContain(
      "examples/li_rinzel_sic.glia:65:3: error[E0808]: cannot export to nest: the continuous coupling SICCoupling of astrocytes_cell from the astrocytes astrocytes (LiRinzel, on their own clock (every 20 steps of 0.5 ms))",
    );
  });

  test("an astrocyte on its own clock that nothing couples: refused at the model", async () => {
    const src = fs
      .readFileSync(path.join(REPO_ROOT, "examples/li_rinzel_sic.glia"), "utf8")
      .replace(/\n {2}connect astrocytes -> cell [^\n]*/, "")
      .replace(/\n {2}connect drive -> astrocytes [^\n]*/, "");
    const line = src.split("\n").findIndex((l) => l.startsWith("astrocyte LiRinzel")) + 1;
    expect(await refusals("a.glia", src)).toEqual([
      `a.glia:${line}:11: error[E0808]: cannot export to nest: the astrocytes astrocytes (LiRinzel) on their own clock (every 20 steps of 0.5 ms)`,
    ]);
  });
});
