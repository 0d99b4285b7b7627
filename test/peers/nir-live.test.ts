// The Python `nir` package (pinned in test/peers/requirements.txt) and glia, in the same test run
// (test/peers/nir/nir_peer.py). Files written by nir.write from nir's own node classes (a LIF chain, a recurrent
// CubaLIF net, a CNN with Conv2d + SumPool2d + Flatten + Affine in a nested graph, and a net of IF, Scale, Delay,
// LI, Threshold and I) are imported by glia and simulated: their spikes equal those of glia models written here
// by hand from the same weights. Files written by glia (export) are read by nir.read with equal parameters.
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { exportGraph } from "../../targets/nir/export.js";
import { loadHdf5, readNir, writeNir } from "../../targets/nir/hdf5.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target } from "../../targets/wasm/index.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { describePeer, runPeerScript } from "../helpers/peers.js";
import { compiled, importToDir, run, spikesOf, tmpDir } from "../nir/helpers.js";
import { cnnInput, handWrittenCnn } from "../nir/cnn-model.js";

const SCRIPT = path.join(REPO_ROOT, "test/peers/nir/nir_peer.py");

interface Dumped {
  nodes: Record<string, { type: string; params: Record<string, { shape: number[]; data: number[] }> }>;
  edges: [string, string][];
}
const dump = (file: string): Dumped => JSON.parse(runPeerScript(SCRIPT, ["dump", file])) as Dumped;

/** Input spikes for an input of n elements: element e at steps 3 + 4e, 5 + 4e, ... (deterministic). */
const spikeTrain = (n: number, until: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let t = 1; t < until; t++) for (let e = 0; e < n; e++) if ((t + 3 * e) % (3 + e) === 0) out.push([e, t]);
  return out;
};

/** `connect` lines, one per synapse (pre, post, jump), in hand-written form. */
const synapseLines = (
  pre: string,
  post: string,
  onto: string,
  syn: [number, number, number][],
  tag: string,
): string[] =>
  syn.map(
    ([i, j, w], k) =>
      `  connect ${tag}${k}: ${pre} -> ${post} with Static(w = ${w}) onto ${onto} from_list([${i}], [${j}])`,
  );

/** Dense [rows x cols] weights as (col, row, w * factor) triples, zeros dropped. */
const dense = (w: { shape: number[]; data: number[] }, factor: number): [number, number, number][] => {
  const [rows, cols] = w.shape as [number, number];
  const out: [number, number, number][] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if (w.data[r * cols + c] !== 0) out.push([c, r, w.data[r * cols + c]! * factor]);
  return out;
};

describePeer("nir (Python) and glia: NIR files both ways", ["nir"], () => {
  const dir = tmpDir("peer");
  beforeAll(() => {
    runPeerScript(SCRIPT, ["make", dir]);
  });
  const bytes = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(dir, `${name}.nir`)));

  it("LIF chain (edges out of order): spikes equal a hand-written glia model", async () => {
    const d = dump(path.join(dir, "lif_chain.nir"));
    const spikes = spikeTrain(3, 50);
    const r = await importToDir(bytes("lif_chain"), dir, "lif_chain", { duration: 0.06, spikes });
    expect(r.diagnostics).toEqual([]);
    // lif1: tau 10 ms, r 2, v_leak 0.1, threshold 1; lif2: tau 20 ms, r 1, threshold 0.5 (nir_peer.py)
    const hand = [
      'import "std/static.glia"',
      "neuron A {",
      "  state { v = 0 }",
      "  equations { v' = (0.1 - v) / 10 ms }",
      "  method exact",
      "  spike when v > 1 { v = 0 }",
      "}",
      "neuron B {",
      "  state { v = 0 }",
      "  equations { v' = -v / 20 ms }",
      "  method exact",
      "  spike when v > 0.5 { v = 0 }",
      "}",
      "network chain {",
      "  dt = 1 ms",
      '  input x = csv_spikes("lif_chain-input.csv")[3]',
      "  population l1 = A[4]",
      "  population l2 = B[2]",
      ...synapseLines("x", "l1", "v", dense(d.nodes.fc1!.params.weight!, 2 / 0.01), "a"),
      ...synapseLines("l1", "l2", "v", dense(d.nodes.fc2!.params.weight!, 1 / 0.02), "b"),
      "  record spikes of l1, l2",
      "  run 60 ms",
      "}",
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "chain_hand.glia"), hand);
    const mine = run(referenceTarget, compiled(r.file));
    const theirs = run(referenceTarget, compiled(path.join(dir, "chain_hand.glia")));
    expect(spikesOf(mine, "lif1")).toEqual(spikesOf(theirs, "l1"));
    expect(spikesOf(mine, "lif2")).toEqual(spikesOf(theirs, "l2"));
    expect(theirs.spikes.l2!.steps.length).toBeGreaterThan(3);
    expect(spikesOf(run(wasmF64Target, compiled(r.file)), "lif2")).toEqual(spikesOf(mine, "lif2"));
  });

  it("recurrent CubaLIF with an Affine bias: spikes equal a hand-written glia model", async () => {
    const d = dump(path.join(dir, "cuba_recurrent.nir"));
    const spikes = spikeTrain(2, 50);
    const r = await importToDir(bytes("cuba_recurrent"), dir, "cuba", { duration: 0.06, spikes });
    expect(r.diagnostics).toEqual([]);
    // tau_mem 20 ms, tau_syn 5 ms, r 1, threshold 0.4, w_in 2: a spike adds w_in w / tau_syn to i; the bias b is a
    // constant input: tau_syn i' = -i + w_in b
    const bias = d.nodes.aff!.params.bias!.data;
    const hand = [
      'import "std/static.glia"',
      "neuron C {",
      "  state { v = 0; i = 0 }",
      "  inputs { b }",
      "  equations {",
      "    i' = (2 * b - i) / 5 ms",
      "    v' = (i - v) / 20 ms",
      "  }",
      "  method exact",
      "  spike when v > 0.4 { v = 0 }",
      "}",
      "network cuba_by_hand {",
      "  dt = 1 ms",
      '  input x = csv_spikes("cuba-input.csv")[2]',
      "  population c = C[3]",
      ...synapseLines("x", "c", "i", dense(d.nodes.aff!.params.weight!, 2 / 0.005), "a"),
      ...synapseLines("c", "c", "i", dense(d.nodes.rec!.params.weight!, 2 / 0.005), "r").map((l) => `${l} allow_self`),
      ...bias.flatMap((b, e) =>
        b !== 0 ? [`  current b of c[${e}:${e + 1}] = steps(times = [0 ms], values = [${b}])`] : [],
      ),
      "  record spikes of c",
      "  run 60 ms",
      "}",
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "cuba_hand.glia"), hand);
    const mine = run(referenceTarget, compiled(r.file));
    const theirs = run(referenceTarget, compiled(path.join(dir, "cuba_hand.glia")));
    expect(spikesOf(mine, "cuba")).toEqual(spikesOf(theirs, "c"));
    expect(theirs.spikes.c!.steps.length).toBeGreaterThan(5);
  });

  it("CNN (Conv2d + SumPool2d + Flatten + Affine, nested readout): spikes equal the hand-written model", async () => {
    const d = dump(path.join(dir, "cnn.nir"));
    const r = await importToDir(bytes("cnn"), dir, "cnn", { duration: 0.06, spikes: cnnInput() });
    expect(r.diagnostics).toEqual([]);
    const kernel = d.nodes.conv!.params.weight!.data;
    // the nested readout's Affine: read from the file with glia's own reader (nir's dump flattens no subgraph)
    await loadHdf5();
    const f = readNir(bytes("cnn"));
    if (!("file" in f)) throw new Error(f.error);
    const fc = f.file.root.nodes!.get("readout")!.nodes!.get("fc")!.params.weight!.data;
    fs.writeFileSync(path.join(dir, "cnn_hand.glia"), handWrittenCnn(kernel, fc, "cnn-input.csv"));
    const mine = run(referenceTarget, compiled(r.file));
    const theirs = run(referenceTarget, compiled(path.join(dir, "cnn_hand.glia")));
    expect(spikesOf(mine, "lif")).toEqual(spikesOf(theirs, "feat"));
    expect(spikesOf(mine, "readout_lif")).toEqual(spikesOf(theirs, "out"));
    expect(theirs.spikes.out!.steps.length).toBeGreaterThan(5);
  });

  it("IF, Scale, Delay, LI, Threshold and I import and run", async () => {
    const r = await importToDir(bytes("others"), dir, "others", { duration: 0.05, spikes: spikeTrain(4, 40) });
    expect(r.diagnostics).toEqual([]);
    const res = run(referenceTarget, compiled(r.file));
    expect(res.spikes.if_!.steps.length).toBeGreaterThan(3);
    expect(res.spikes.thr!.steps.length).toBeGreaterThan(0);
    expect(res.traces.map((t) => `${t.population}.${t.variable}`).sort()).toEqual(["integ.v", "li.v"]);
  });

  it('Conv1d with padding "same" + CubaLI, Conv2d stride 2 + AvgPool2d + IF: the synapses each shape gives', async () => {
    const c1 = await importToDir(bytes("conv1d_same"), dir, "conv1d", { duration: 0.05, spikes: spikeTrain(8, 40) });
    expect(c1.diagnostics).toEqual([]);
    const r1 = run(referenceTarget, compiled(c1.file));
    // 2 channels x (8 outputs x 3 taps - the 2 taps in the padding) + 16 x 2 readout
    expect(r1.synapses).toBe(2 * (8 * 3 - 2) + 16 * 2);
    expect(r1.traces.map((t) => `${t.population}.${t.variable}`)).toEqual(["cli.v"]);
    expect(Math.max(...r1.traces[0]!.values.map((row) => row[0]!))).toBeGreaterThan(0);
    const c2 = await importToDir(bytes("avgpool"), dir, "avgpool", { duration: 0.05, spikes: spikeTrain(64, 40) });
    expect(c2.diagnostics).toEqual([]);
    expect(c2.text).toContain("current I of if_[0:16] = steps(times = [0 s], values = [0.1])");
    const r2 = run(referenceTarget, compiled(c2.file));
    // stride 2 with a 2x2 kernel: every pixel feeds one output per channel; then 32 x 3 readout (average: w / 4)
    expect(r2.synapses).toBe(64 * 2 + 32 * 3);
    expect(r2.spikes.lif!.steps.length).toBeGreaterThan(3);
  });

  it("files glia writes are read by nir.read with equal parameters", async () => {
    await loadHdf5();
    // an imported-then-exported chain and the CNN's glia form
    for (const name of ["lif_chain", "cuba"]) {
      const c = compile(path.join(dir, `${name}.glia`), nodeHost());
      const g = exportGraph(c.built!);
      expect(g.diagnostics.items).toEqual([]);
      const out = path.join(dir, `${name}.glia.nir`);
      fs.writeFileSync(out, writeNir({ version: "1.0.8", root: g.root! }));
      const theirs = dump(out);
      expect(Object.keys(theirs.nodes).sort()).toEqual([...g.root!.nodes!.keys()].sort());
      expect(theirs.edges.map((e) => e.join(">")).sort()).toEqual(g.root!.edges!.map((e) => e.join(">")).sort());
      for (const [n, mine] of g.root!.nodes!) {
        const t = theirs.nodes[n]!;
        expect(t.type).toBe(mine.type === "I" ? "I" : mine.type);
        for (const [p, a] of Object.entries(mine.params)) {
          if (p === "shape") continue; // Input/Output keep it as their type
          expect([p, t.params[p]?.data]).toEqual([p, a.data]);
          expect([p, t.params[p]?.shape]).toEqual([p, a.shape]);
        }
      }
      // and the original values survive: the chain's weights as nir wrote them
      if (name === "lif_chain") {
        const orig = dump(path.join(dir, "lif_chain.nir"));
        const w = theirs.nodes.x_to_lif1 ?? theirs.nodes.in_to_lif1!;
        expect(w.params.weight!.data.map((x) => +x.toPrecision(12))).toEqual(
          orig.nodes.fc1!.params.weight!.data.map((x) => +x.toPrecision(12)),
        );
      }
    }
  });

  it("a LIF layer with per-neuron tau and threshold: spikes equal its recurrence; glia -> NIR -> glia keeps them", async () => {
    const d = dump(path.join(dir, "lif_per_neuron.nir"));
    const lif = d.nodes.lif!.params;
    const tau = lif.tau!.data;
    const th = lif.v_threshold!.data;
    expect(new Set(tau).size).toBe(6);
    const w = d.nodes.fc!.params.weight!.data; // [6 x 2]
    const spikes = spikeTrain(2, 50);
    const steps = 60;
    // the nir convention, written out: exact decay, a Dirac jump r w / tau (r = 1) after the step's thresholds
    const want: string[] = [];
    const v = new Float64Array(6);
    for (let k = 0; k < steps; k++) {
      const fired: number[] = [];
      for (let n = 0; n < 6; n++) {
        v[n] = v[n]! * Math.exp(-1e-3 / tau[n]!);
        if (v[n]! > th[n]!) fired.push(n);
      }
      for (const [m, t] of spikes)
        if (t === k) for (let n = 0; n < 6; n++) v[n] = v[n]! + w[n * 2 + m]! * (1 / tau[n]!);
      for (const n of fired) {
        want.push(`${k}:${n}`);
        v[n] = 0;
      }
    }
    for (let n = 0; n < 6; n++) expect(want.filter((s) => s.endsWith(`:${n}`)).length).toBeGreaterThan(2);
    const r = await importToDir(bytes("lif_per_neuron"), dir, "per_neuron", { duration: 0.06, spikes });
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toContain('tau = csv_column("per_neuron.data/lif.params.csv", "tau_s")');
    const ir = compiled(r.file);
    expect(spikesOf(run(referenceTarget, ir), "lif")).toEqual(want);
    expect(spikesOf(run(wasmF64Target, ir), "lif")).toEqual(want);
    // glia -> NIR: nir.read sees the per-neuron arrays; and back into glia, every spike kept
    await loadHdf5();
    const g = exportGraph(compile(r.file, nodeHost()).built!);
    expect(g.diagnostics.items).toEqual([]);
    const out = path.join(dir, "per_neuron.glia.nir");
    fs.writeFileSync(out, writeNir({ version: "1.0.8", root: g.root! }));
    const theirs = dump(out).nodes.lif!.params;
    expect(theirs.tau!.data.map((x) => +x.toPrecision(12))).toEqual(tau.map((x) => +x.toPrecision(12)));
    expect(theirs.v_threshold!.data).toEqual(th);
    const back = await importToDir(new Uint8Array(fs.readFileSync(out)), dir, "per_neuron_back", {
      duration: 0.06,
      spikes,
    });
    expect(back.diagnostics).toEqual([]);
    expect(spikesOf(run(referenceTarget, compiled(back.file)), "lif")).toEqual(want);
  });
});
