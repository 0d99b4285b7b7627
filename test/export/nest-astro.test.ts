// `glia export --to nest` for astrocytes, in process (no Python): examples/astro_sic_adex.glia's astrocytes, neurons
// and couplings are read off their equations as NEST's astrocyte_lr_1994 (its defaults), aeif_cond_alpha_astro and
// sic_connection, with the tripartite third_in connections from glia's ensheathment; changed equations are refused
// with the reason at the construct (E0808).
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const FILE = "examples/astro_sic_adex.glia";
const SRC = fs.readFileSync(path.join(REPO_ROOT, FILE), "utf8");

/** NEST 3.10's astrocyte_lr_1994 defaults (nest.GetDefaults), which the example's astrocyte uses. */
const NEST_DEFAULTS: Record<string, number> = {
  Ca_tot: 2,
  IP3_0: 0.16,
  Kd_IP3_1: 0.13,
  Kd_IP3_2: 0.9434,
  Kd_act: 0.08234,
  Kd_inh: 1.049,
  Km_SERCA: 0.1,
  k_IP3R: 0.0002,
  rate_IP3R: 0.006,
  rate_L: 0.00011,
  rate_SERCA: 0.0009,
  ratio_ER_cyt: 0.185,
  tau_IP3: 7142,
  delta_IP3: 0.0002,
  SIC_th: 0.19669,
  SIC_scale: 1,
};

/** The params dict of `nest.Create(model, ...)` in a script. */
function createParams(py: string, model: string): Record<string, number> {
  const m = new RegExp(`nest\\.Create\\("${model}", \\d+, params=(\\{[^}]*\\})\\)`).exec(py);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as Record<string, number>;
}

async function nestErrors(src: string): Promise<string> {
  const io = captureIo({ "m.glia": src });
  expect(await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io)).toBe(1);
  return io.stderr;
}

describe("glia export --to nest: astrocytes", () => {
  test("the example's astrocyte is astrocyte_lr_1994 with NEST's defaults, read off its equations", async () => {
    const io = captureIo();
    expect(await runCli(["export", FILE, "--to", "nest", "-o", "n"], io)).toBe(0);
    const py = io.files.get("n/run.py")!;
    const astro = createParams(py, "astrocyte_lr_1994");
    expect(Object.keys(astro).sort()).toEqual(Object.keys(NEST_DEFAULTS).sort());
    for (const [k, v] of Object.entries(NEST_DEFAULTS))
      expect([k, Math.abs(astro[k]! - v) <= 1e-9 * Math.abs(v)]).toEqual([k, true]);
    // the neuron: C_m from the SIC input's coefficient in V_m' (1 / C_m), the AdEx parameters from the equations
    const cell = createParams(py, "aeif_cond_alpha_astro");
    for (const [k, v] of Object.entries({ C_m: 281, g_L: 30, E_L: -70.6, V_th: -50.4, Delta_T: 2, a: 4, b: 80.5 }))
      expect([k, Math.abs(cell[k]! - v) <= 1e-9 * Math.abs(v)]).toEqual([k, true]);
    expect([cell.tau_syn_ex, cell.tau_syn_in, cell.V_peak, cell.I_e]).toEqual([2, 2, -40, expect.any(Number)]);
    expect(Math.abs(cell.I_e! - 350)).toBeLessThan(1e-9);
    // SIC: w ln((Ca - SIC_th) / 1 nM) with w = 60 pA; third_in from each ensheathed synapse's presynaptic element
    expect(py).toContain(
      '{"synapse_model": "sic_connection", "weight": np.full(len(pre), 60), "delay": np.full(len(pre), DT * 1e3)}',
    );
    expect(py).toContain('third = np.asarray(nodes["astrocytes"].tolist())[syn["astro"].astype(np.int64)]');
    expect(py).toContain('ASTROCYTES = ["astrocytes"]');
    // the astrocyte of each synapse (block pool of 1: synapses onto cell k belong to astrocyte k)
    const rows = io.files.get("n/data/proj_syn.csv")!.trim().split("\n");
    expect(rows[0]).toBe("pre,post,delay,astro");
    for (const r of rows.slice(1)) expect(r.split(",")[3]).toBe(r.split(",")[1]);
    expect(io.files.get("n/README.md")).toContain("| astrocytes | astrocyte_lr_1994 |");
  });

  test("an astrocyte whose calcium equation is not NEST's is refused with the reason", async () => {
    // NEST's later form of the ER calcium (Ca_tot + (Ca_tot - Ca) / r) is another model within the clamp
    const src = SRC.replace(
      "Ca_ER: uM = (Ca_tot - Ca_c) / ratio_ER_cyt",
      "Ca_ER: uM = Ca_tot + (Ca_tot - Ca_c) / ratio_ER_cyt",
    );
    const err = await nestErrors(src);
    expect(err).toMatch(
      /m\.glia:11:11: error\[E0808\]: cannot export to nest: LiRinzel of astrocytes: its equations are not NEST's astrocyte_lr_1994 \(/,
    );
  });

  test("an astrocyte on its own clock is refused at its `on synapse_pre` (astro-clock.ts), not as another model", async () => {
    // its SIC coupling would be run.py's exchange (astro-exchange.ts); the ensheathed synapses' handler is not written
    const err = await nestErrors(
      SRC.replace("  method rk4\n  on synapse_pre", "  method rk4\n  dt = 1 ms\n  on synapse_pre"),
    );
    expect(err).toContain(
      "m.glia:49:3: error[E0808]: cannot export to nest: the ensheathed synapses of syn and their astrocytes astrocytes (LiRinzel, on their own clock (every 10 steps of 0.1 ms)): `on synapse_pre`",
    );
    expect(err).not.toContain("the continuous coupling SIC");
    expect(err).not.toContain("its equations are not NEST's astrocyte_lr_1994");
  });

  test("a coupling that is not the logarithmic SIC is refused at its continuous block", async () => {
    const err = await nestErrors(
      SRC.replace("post.target += w * log(max(y, 1))", "post.target += w * sqrt(max(y, 1) - 1)"),
    );
    expect(err).toMatch(
      /error\[E0808\]: cannot export to nest: the coupling SIC of astrocytes_cells: not NEST's sic_connection \(the coupling is not W ln/,
    );
  });

  test("a synapse reading its astrocyte (gliotransmission) has no NEST tripartite form", async () => {
    const src = SRC.replace(
      "  on synapse_pre { IP3 += delta_IP3 }",
      "  on synapse_pre { IP3 += delta_IP3 }\n  expose gain = 1 + Ca / 1 uM",
    ).replace(
      "on pre { post.dg_ex += w * 2.718281828459045 / tau }",
      "on pre { post.dg_ex += w * astro.gain * 2.718281828459045 / tau }",
    );
    const err = await nestErrors(src);
    expect(err).toContain("the tripartite synapses of syn: the synapse reads its astrocyte (astro.X)");
  });
});
