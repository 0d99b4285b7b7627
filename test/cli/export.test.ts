// `glia export FILE --to brian2|nest -o DIR`, in process (no Python needed): the files written, the network files
// equal to glia's own construction, the Brian2 equations with units, NEST's model matched by its equations, and the
// refusals (E0808 with the construct named at its place, usage errors).
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { compile } from "../../compiler/pipeline.js";
import { buildConnectivity } from "../../targets/network/connectivity.js";
import { initGroup } from "../../targets/network/init.js";
import { REPO_ROOT, dirHost } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");

describe("glia export", () => {
  test("--to brian2 writes run.py, README.md and glia's network as CSV", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/cuba.glia", "--to", "brian2", "-o", "out"], io)).toBe(0);
    expect([...io.files.keys()].sort()).toEqual(
      [
        "README.md",
        "data/pop_exc.csv",
        "data/pop_inh.csv",
        "data/proj_exc_exc.csv",
        "data/proj_exc_inh.csv",
        "data/proj_inh_exc.csv",
        "data/proj_inh_inh.csv",
        "run.py",
      ].map((f) => `out/${f}`),
    );
    const py = io.files.get("out/run.py")!;
    expect(py).toContain("dv/dt = (((ge + gi) - (v - El)) / taum) : volt (unless refractory)");
    expect(py).toContain("dge/dt = ((-ge) / taue) : volt");
    expect(py).toContain('threshold="(v > Vt)"');
    expect(py).toContain("refractory=50 * DT * second");
    expect(py).toContain('method="exact"');
    expect(py).toContain('on_pre="ge_post += w"');
    expect(py).toContain('namespace={"w": 0.0016200000000000001 * volt}');
    // the synapses are glia's: same count and pairs as the network builder's, in CSR order
    const ir = compile("examples/cuba.glia", dirHost(REPO_ROOT)).built!;
    const p = ir.projections[0]!;
    const csr = buildConnectivity(p, 3200, 3200, ir.seed);
    const rows = io.files.get("out/data/proj_exc_exc.csv")!.trim().split("\n");
    expect(rows[0]).toBe("pre,post,delay");
    expect(rows.length - 1).toBe(csr.n);
    expect(rows[1]).toBe(`${csr.pre[0]},${csr.post[0]},0`);
    expect(rows[csr.n]).toBe(`${csr.pre[csr.n - 1]},${csr.post[csr.n - 1]},0`);
    // initial values: glia's draws, written to round-trip exactly
    const v = initGroup(ir.groups[0]!, ir.seed, ir.dt).state.get("v")!;
    const pop = io.files.get("out/data/pop_exc.csv")!.trim().split("\n");
    expect(pop[0]).toBe("index,v,ge,gi");
    expect(Number(pop[17]!.split(",")[1])).toBe(v[16]);
  });

  test("units on literals come from their context (1 ms dividing a dimensionless ODE)", async () => {
    const io = captureIo();
    expect(
      await runCli(["export", "test/fixtures/brian2/izhikevich_euler.glia", "--to", "brian2", "-o", "o"], io),
    ).toBe(0);
    const py = io.files.get("o/run.py")!;
    expect(py).toContain("dv/dt = ((((((0.04 * (v**2)) + (5 * v)) + 140) - u) + I) / (0.001*second)) : 1");
    expect(py).toContain('method="euler"');
  });

  test("a linear system Brian2's exact solver cannot solve (a pure integrator) runs on glia's own propagator", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/reservoir_homeostasis.glia", "--to", "brian2", "-o", "o"], io)).toBe(0);
    const py = io.files.get("o/run.py")!;
    // bias' = eta_b (rho0 - r_est): the matrix of (v, ge, gi, r_est, bias) is singular, Brian2 finds no fixed point
    expect(py).toContain("def glia_exact_exc(equations, variables, method_options=None):");
    expect(py).toContain("method=glia_exact_exc,");
    expect(py).toContain("method=glia_exact_inh,");
    expect(py).not.toContain('method="exact"');
    // glia's numbers (P over 0.1 ms) and its clamp of v while refractory
    expect(py).toContain("_ge_new = (0.9801986733067554 * ge)");
    expect(py).toContain("_bias_new = ((((-1.9998000133326667e-7) * r_est) + bias) + 0.0000010000000000000002)");
    expect(py).toContain("v = (int((not not_refractory))*v + (1 - int((not not_refractory)))*_v_new)");
    // CUBA's system is regular: Brian2's own exact solver
    const cuba = captureIo();
    expect(await runCli(["export", "examples/cuba.glia", "--to", "brian2", "-o", "c"], cuba)).toBe(0);
    expect(cuba.files.get("c/run.py")).not.toContain("glia_exact");
  });

  test("--to nest matches CUBA's neurons to iaf_psc_exp from their equations", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/cuba.glia", "--to", "nest", "-o", "n"], io)).toBe(0);
    const py = io.files.get("n/run.py")!;
    expect(py).toContain(
      'nest.Create("iaf_psc_exp", 3200, params={"C_m": 250, "tau_m": 20, "E_L": -49, "V_th": -50, "V_reset": -60, "t_ref": 4.9, "tau_syn_ex": 5, "tau_syn_in": 10, "I_e": 0})',
    );
    expect(io.files.get("n/README.md")).toContain("mpirun -np P python run.py --vps V");
  });

  test("a modulator Brian2 cannot express (mean(POP.var)): E0808 with the construct named and a caret on it", async () => {
    const src = LIF.replace(/(network \w+ \{)/, "$1\n  modulator m: mV = mean(n.v)");
    const io = captureIo({ "m.glia": src });
    expect(await runCli(["export", "m.glia", "--to", "brian2", "-o", "x"], io)).toBe(1);
    const line = src.split("\n").findIndex((l) => l.includes("modulator m")) + 1;
    expect(io.stderr).toContain(
      `m.glia:${line}:3: error[E0808]: cannot export to brian2: mean(n.v) in the modulator 'm'`,
    );
    expect(io.stderr).toMatch(/\n\s*\d* *\| +\^+/);
    expect(io.files.size).toBe(0);
  });

  test("a coupling NEST cannot run as glia does (with `on pre` in its synapse): E0808 at the block", async () => {
    const gap = fs.readFileSync(path.join(REPO_ROOT, "examples/gap_junctions.glia"), "utf8");
    const block = "  continuous { post.I_ext += g_gap * (pre.v - post.v) }\n";
    const io = captureIo({ "m.glia": gap.replace(block, block + "  on pre { post.I_ext += 1 pA }\n") });
    expect(await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io)).toBe(1);
    expect(io.stderr).toMatch(
      /^m\.glia:12:3: error\[E0808\]: cannot export to nest: the synapse GapJunction of cells_cells: a continuous coupling in a synapse with event handlers .*$/m,
    );
    expect(io.files.size).toBe(0);
  });

  test("an unknown engine or a missing -o is a usage error", async () => {
    expect(await runCli(["export", "examples/cuba.glia", "--to", "neuron", "-o", "x"], captureIo())).toBe(2);
    expect(await runCli(["export", "examples/cuba.glia", "--to", "brian2"], captureIo())).toBe(2);
  });
});
