// `glia export --to nest` of astrocytes on their own clock, in process: examples/li_rinzel_sic.glia exports (the
// astrocyte a NESTML neuron running glia's update every 20th step, its Poisson input a static synapse into IP3, the
// SIC run.py's per-step exchange: targets/export/nest/astro-exchange.ts); what NEST cannot run stays refused with
// E0808 at its place (astro.X read by a synapse, `on synapse_pre` of the astrocytes: astro-clock.ts). Exact codes,
// places and messages.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo, type CapturedIo } from "../helpers/cli-io.js";

async function refusals(file: string, src?: string): Promise<string[]> {
  const io = captureIo(src === undefined ? {} : { [file]: src });
  expect(await runCli(["export", file, "--to", "nest", "-o", "x"], io)).toBe(1);
  expect(io.files.size).toBe(0);
  return io.stderr.split("\n").filter((l) => l.includes("error[E0808]"));
}

async function exported(file: string, src?: string): Promise<CapturedIo> {
  const io = captureIo(src === undefined ? {} : { [file]: src });
  const code = await runCli(["export", file, "--to", "nest", "-o", "n"], io);
  expect([code, io.stderr.split("\n").filter((l) => l.includes("error"))]).toEqual([0, []]);
  return io;
}

const LI_RINZEL = fs.readFileSync(path.join(REPO_ROOT, "examples/li_rinzel_sic.glia"), "utf8");

describe("glia export --to nest: astrocytes on their own clock", () => {
  test("li_rinzel_sic: a NESTML astrocyte updating every 20 steps with its own dt, read by the SIC exchange", async () => {
    const io = await exported("examples/li_rinzel_sic.glia");
    const astro = io.files.get("n/nestml/glia_astrocytes_neuron.nestml")!;
    // glia's rk4 step over its own dt (10 ms: 0.005 s half steps, 0.01 s full), only when the counter is 0; the
    // spike port adds to IP3 every step, after the update (glia's phase 3)
    expect(astro).toContain("        glia_clock integer = 0\n");
    expect(astro).toContain("    update:\n        if glia_clock == 0:\n            glia_l_IP3_k1 real = ");
    expect(astro).toContain("            glia_l_IP3_s4 real = (IP3 + (0.01 * glia_l_IP3_k3))\n");
    expect(astro).toContain(
      "            h_IP3R = glia_l_h_IP3R_new\n        glia_clock = (glia_clock + 1) % 20\n        IP3 += in_IP3 * s\n",
    );
    // Ca is NEST's ArchivingNode status key: the NESTML variable is glia_Ca, set, read and recorded under that name
    expect(astro).toContain("        glia_Ca real = 0.0\n");
    expect(astro).not.toMatch(/\bCa real\b/);
    const py = io.files.get("n/run.py")!;
    expect(py).toContain(`    setp(pop, "glia_Ca", init["Ca"])`);
    expect(py).toContain(`COUPLING_READS = [("astrocytes", "Ca", "glia_Ca")]`);
    expect(py).toContain(`("astrocytes", "Ca", "glia_Ca", 1, 0, 1, 20)`);
    // IP3Drive (`post.IP3 += post.delta_IP3 * w`): delta_IP3 folded in, a static synapse of 0.0002 uM into IP3
    expect(py).toContain(
      `weight = np.broadcast_to(np.asarray(2.0000000000000002e-7, dtype=float), pre.shape).copy()\n        nest.Connect(pre, post, "one_to_one", {"synapse_model": "static_synapse", "receptor_type": receptor(nodes["astrocytes"], "in_IP3")`,
    );
    expect(py).toContain(`COUPLINGS = [("astrocytes_cell", coupling_astrocytes_cell)]`);
    // a Poisson spike in step 0 is stamped at step 1 (acts one step late): NEST drops a spike_generator time of 0
    expect(py).toContain(`gen[e].spike_times = list(np.maximum(k, 1) * DT * 1e3)`);
  });

  test("an astrocyte on its own clock that nothing couples exports too", async () => {
    const src = LI_RINZEL.replace(/\n {2}connect astrocytes -> cell [^\n]*/, "").replace(
      /\n {2}connect drive -> astrocytes [^\n]*/,
      "",
    );
    const io = await exported("a.glia", src);
    expect(io.files.get("n/nestml/glia_astrocytes_neuron.nestml")).toContain("glia_clock = (glia_clock + 1) % 20\n");
    expect(io.files.get("n/run.py")).toContain("COUPLINGS = []");
  });

  test("astro_tripartite: astro.release read by the synapse", async () => {
    expect(await refusals("examples/astro_tripartite.glia")).toEqual([
      "examples/astro_tripartite.glia:35:31: error[E0808]: cannot export to nest: astro.release of the astrocytes astrocytes (GatingAstrocyte, on their own clock (every 50 steps of 0.1 ms)) read by the synapse GatedStatic of syn",
    ]);
  });

  test("astro_lsm_branching: astro.drive read by the STDP synapse", async () => {
    expect(await refusals("examples/astro_lsm_branching.glia")).toEqual([
      "examples/astro_lsm_branching.glia:55:33: error[E0808]: cannot export to nest: astro.drive of the astrocytes astrocytes (BranchingAstrocyte, on their own clock (every 2 steps of 0.5 ms)) read by the synapse AstroSTDP of rec",
    ]);
  });

  test("`on synapse_pre` of astrocytes on their own clock: refused at the handler", async () => {
    const src = fs
      .readFileSync(path.join(REPO_ROOT, "examples/astro_tripartite.glia"), "utf8")
      .replace("post.target += w * astro.release", "post.target += w");
    const line = src.split("\n").findIndex((l) => l.includes("on synapse_pre")) + 1;
    expect(await refusals("t.glia", src)).toEqual([
      `t.glia:${line}:3: error[E0808]: cannot export to nest: the ensheathed synapses of syn and their astrocytes astrocytes (GatingAstrocyte, on their own clock (every 50 steps of 0.1 ms)): \`on synapse_pre\``,
    ]);
  });

  test("a synapse onto the astrocytes whose amount reads their state: refused at its `on pre`", async () => {
    const src = LI_RINZEL.replace("post.IP3 += post.delta_IP3 * w", "post.IP3 += post.Ca * w");
    const line = src.split("\n").findIndex((l) => l.includes("post.IP3 += post.Ca * w")) + 1;
    expect(await refusals("b.glia", src)).toEqual([
      `b.glia:${line}:3: error[E0808]: cannot export to nest: the synapse IP3Drive of drive_astrocytes onto the astrocytes astrocytes: an \`on pre\` other than \`post.X += amount\` of synapse parameters and the astrocytes' scalar parameters (the astrocyte hears spikes through a static synapse into a state variable)`,
    ]);
  });
});
