// `glia export --to brian2` for astrocytes ensheathing synapses and network modulators, in process (no Python):
// what the script builds (the handler Synapses after every on_pre / on_post, exposes as linked subexpressions,
// g_modulators with its counters and links) and what is still refused (E0808 at the construct, exact spans).
// test/peers/export-brian2-astro.test.ts runs the scripts against glia's reference.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const read = (f: string): string => fs.readFileSync(path.join(REPO_ROOT, f), "utf8");
const lineOf = (src: string, needle: string): number => src.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("glia export --to brian2: astrocytes and modulators", () => {
  test("astro_tripartite: on synapse_pre as Synapses to the astrocytes after every on_pre, astro.release linked", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/astro_tripartite.glia", "--to", "brian2", "-o", "o"], io)).toBe(0);
    const py = io.files.get("o/run.py")!;
    // the expose is a subexpression of the astrocytes with their scalars written in (read from the synapses)
    expect(py).toContain(
      "release = (1 - ((0.6) * (1/(1 + exp(-((ca - (0.00015 * mmolar)) / (0.000029999999999999997 * mmolar))))))) : 1",
    );
    expect(py).toContain('s.astro_release = b2.linked_var(groups["astrocytes"], "release", index="astro_index")');
    expect(py).toContain('on_pre="I_syn_post += (w * astro_release)"');
    expect(py).toContain('on_pre="ip3_post += ip3_per_spike_post"');
    expect(py).toContain('s.connect(i=syn["pre"].astype(np.int64), j=syn["astro"].astype(np.int64))');
    expect(py).toContain("s.pre.order = 2");
  });

  test("astro_lsm_branching: on synapse_post from the post element, at order 3", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/astro_lsm_branching.glia", "--to", "brian2", "-o", "o"], io)).toBe(0);
    const py = io.files.get("o/run.py")!;
    expect(py).toContain('name="s001_rec_astro_post"');
    expect(py).toContain('s.connect(i=syn["post"].astype(np.int64), j=syn["astro"].astype(np.int64))');
    expect(py).toContain("s.pre.order = 3");
  });

  test("izhikevich_reservoir_3factor: g_modulators, rate(exc) counted, the readout synapses link mod_attention", async () => {
    const io = captureIo();
    const file = "examples/izhikevich_reservoir_3factor.glia";
    expect(await runCli(["export", file, "--to", "brian2", "-o", "o"], io)).toBe(0);
    const py = io.files.get("o/run.py")!;
    expect(py).toContain('name="g_modulators"');
    expect(py).toContain("(n_exc / (160 * dt))");
    expect(py).toContain('when="start", order=-10)');
    expect(py).toContain('on_pre="n_exc_post += 1"');
    expect(py).toContain('s.mod_attention_syn = b2.linked_var(gm, "mod_attention", index="mod_index")');
  });

  test("astrocytes ensheathing synapses from a poisson_count input: E0808 at the ensheath statement", async () => {
    const src = read("examples/astro_tripartite.glia").replace(
      "input afferents = poisson(rate = 20 Hz)[40]",
      "input afferents = poisson_count(rate = 20 Hz)[40]",
    );
    const io = captureIo({ "a.glia": src });
    expect(await runCli(["export", "a.glia", "--to", "brian2", "-o", "x"], io)).toBe(1);
    expect(io.stderr).toContain(
      `a.glia:${lineOf(src, "ensheath syn")}:3: error[E0808]: cannot export to brian2: astrocytes ensheathing the synapses of syn, from a poisson_count input`,
    );
    expect(io.files.size).toBe(0);
  });

  test("rate() of a poisson_count input in a modulator: E0808 at the modulator", async () => {
    const src = read("examples/soft_hebbian_wta.glia").replace(
      "  modulator novelty =",
      "  input counts = poisson_count(rate = 10 Hz)[4]\n  modulator busy: Hz = rate(counts)\n  modulator novelty =",
    );
    const io = captureIo({ "w.glia": src });
    expect(await runCli(["export", "w.glia", "--to", "brian2", "-o", "x"], io)).toBe(1);
    expect(io.stderr).toContain(
      `w.glia:${lineOf(src, "modulator busy")}:3: error[E0808]: cannot export to brian2: rate(counts) of a poisson_count input in the modulator 'busy'`,
    );
    expect(io.files.size).toBe(0);
  });
});
