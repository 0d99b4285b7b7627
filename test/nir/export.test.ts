// glia -> NIR: what NIR cannot express is refused with E0808 and a caret on the part (plasticity, astrocytes,
// refractory periods, resets by subtraction, time-varying currents, modulators); a network it can express goes
// glia -> nir -> glia with identical spikes (LIF with a bias, CubaLIF, IF, static weights summed over several
// projections, delays), and the CLI writes the file (`glia export --to nir -o`).
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { exportGraph } from "../../targets/nir/export.js";
import { loadHdf5, readNir, writeNir } from "../../targets/nir/hdf5.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { captureIo } from "../helpers/cli-io.js";
import { REPO_ROOT, dirHost } from "../helpers/dir-host.js";
import { compiled, importToDir, run, spikesOf, tmpDir } from "./helpers.js";

function exported(file: string, host = dirHost(REPO_ROOT)): ReturnType<typeof exportGraph> {
  const c = compile(file, host);
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return exportGraph(c.built!);
}

const refusals = (r: ReturnType<typeof exportGraph>): [string, number, number, string][] =>
  r.diagnostics.items.map((d) => [d.code, d.span.line, d.span.col, d.message]);

describe("glia export --to nir: refusals", () => {
  it("plasticity (STDP) and the refractory period of std LIF", () => {
    const r = exported("examples/stdp.glia");
    expect(r.root).toBeUndefined();
    const msgs = refusals(r);
    expect(msgs.length).toBeGreaterThan(0);
    expect(msgs.every(([code]) => code === "E0808")).toBe(true);
    expect(msgs.some(([, , , m]) => /plasticity/.test(m))).toBe(true);
  });

  it("astrocytes, with the caret on the population", () => {
    const msgs = refusals(exported("examples/astro_tripartite.glia"));
    expect(msgs.some(([, , , m]) => /astrocyte population .*: NIR has no astrocytes/.test(m))).toBe(true);
  });

  it("exact spans on a small model", () => {
    const src = [
      'import "std/static.glia"',
      "neuron Sub {",
      "  state { v = 0 }",
      "  inputs { I }",
      "  equations { v' = (I - v) / 10 ms }",
      "  spike when v > 1 { v -= 1 }",
      "}",
      "neuron Ref {",
      "  state { v = 0 }",
      "  equations { v' = -v / 10 ms }",
      "  spike when v > 1 { v = 0 }",
      "  refractory 2 ms clamp v",
      "}",
      "network n {",
      "  input x = poisson(rate = 10 Hz)[2]",
      "  population a = Sub[2]",
      "  population b = Ref[2]",
      "  connect x -> a with Static(w = 0.5) onto v one_to_one",
      "  current I of a = steps(times = [0 ms, 5 ms], values = [0, 1])",
      "  modulator m = t / 1 s",
      "  run 10 ms",
      "}",
      "",
    ].join("\n");
    const r = exported("m.glia", { readFile: (p) => (p === "m.glia" ? src : dirHost(REPO_ROOT).readFile(p)) });
    expect(refusals(r)).toEqual([
      ["E0808", 20, 3, "NIR cannot express the modulator `m`"],
      [
        "E0808",
        16,
        3,
        "NIR cannot express the neuron population `a` (Sub): a reset other than `v = constant` (NIR resets v to v_reset)",
      ],
      ["E0808", 17, 3, "NIR cannot express the neuron population `b` (Ref): its refractory period"],
      ["E0808", 19, 3, "NIR cannot express the current stimulus into `a.I`: it varies in time"],
    ]);
  });
});

const ROUND_TRIP = `import "std/static.glia"
neuron Cell {
  parameters { tau: ms = 10 ms; v_th = 1 }
  state { v = 0 }
  inputs { I }
  equations { v' = (0.2 - v + 2 * I) / tau }
  method exact
  spike when v > v_th { v = 0.1 }
}
neuron Cuba {
  state { v = 0; i = 0 }
  equations {
    i' = -i / 5 ms
    v' = (i - v) / 20 ms
  }
  method exact
  spike when v > 0.3 { v = 0 }
}
neuron Counter {
  state { v = 0 }
  equations { v' = 0 / 1 ms }
  spike when v > 2 { v = 0 }
}
network rt {
  dt = 1 ms
  seed = 3
  input x = spike_times(times = [2 ms, 4 ms, 5 ms, 9 ms, 12 ms, 13 ms, 20 ms, 31 ms, 32 ms], indices = [0, 1, 2, 0, 1, 2, 0, 1, 2])[3]
  population a = Cell[4]
  population b = Cuba[3]
  population c = Counter[2]
  connect x -> a with Static(w = uniform(40, 90)) onto v fixed_probability(0.7)
  connect x -> a[0:3] with Static(w = 25) onto v one_to_one
  connect a -> b with Static(w = 0.08 * (i + 1)) onto i all_to_all delay = 2 ms
  connect b -> b with Static(w = -0.05) onto i all_to_all
  connect b -> c with Static(w = 1) onto v all_to_all delay = 1 ms
  current I of a[1:3] = steps(times = [0 ms], values = [0.3])
  record spikes of a, b, c
  run 60 ms
}
`;

describe("glia -> NIR -> glia", () => {
  it("keeps the spikes (LIF with bias, CubaLIF, IF; summed projections; delays)", async () => {
    const dir = tmpDir("rt");
    fs.writeFileSync(path.join(dir, "rt.glia"), ROUND_TRIP);
    const r = exported(path.join(dir, "rt.glia"), nodeHost());
    expect(r.diagnostics.items).toEqual([]);
    await loadHdf5();
    const bytes = writeNir({ version: "1.0.8", root: r.root! });
    const back = readNir(bytes);
    expect("file" in back && [...back.file.root.nodes!.values()].map((n) => n.type).sort()).toEqual(
      [
        ...["Input", "LIF", "CubaLIF", "IF"],
        ...["Affine", "Linear", "Linear", "Linear", "Delay", "Delay"],
        ...["Output", "Output", "Output"],
      ].sort(),
    );
    const spikes = [2, 4, 5, 9, 12, 13, 20, 31, 32].map((t, k) => [k % 3, t] as [number, number]);
    const imp = await importToDir(bytes, dir, "rt_back", { duration: 0.06, spikes });
    expect(imp.diagnostics).toEqual([]);
    const first = run(referenceTarget, compiled(path.join(dir, "rt.glia")));
    const again = run(referenceTarget, compiled(imp.file));
    for (const pop of ["a", "b", "c"]) {
      expect(spikesOf(again, pop)).toEqual(spikesOf(first, pop));
      expect(first.spikes[pop]!.steps.length).toBeGreaterThan(1);
    }
  });

  it("glia export FILE --to nir -o out.nir writes the file", async () => {
    const dir = tmpDir("cli");
    fs.writeFileSync(path.join(dir, "rt.glia"), ROUND_TRIP);
    const io = captureIo();
    io.host = nodeHost();
    const out = path.join(dir, "rt.nir");
    expect(await runCli(["export", path.join(dir, "rt.glia"), "--to", "nir", "-o", out], io)).toBe(0);
    expect(io.stdout).toBe(`glia: wrote ${out}: NIR 1.0.8, 13 nodes, 13 edges\n`);
    expect(io.files.get(out)).toBeInstanceOf(Uint8Array);
  });
});
