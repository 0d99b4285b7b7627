// Invalid NIR input: exact codes, the file as the span (a NIR file has no lines) and the node path in the message.
// Each file is written here with glia's own HDF5 writer (no binary fixtures in the repository).
import { describe, expect, it } from "@jest/globals";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { importNir } from "../../targets/nir/import.js";
import { fill, graph, nirBytes, node } from "./helpers.js";

const lif = (n: number): ReturnType<typeof node> =>
  node("LIF", { tau: fill(n, 0.01), r: fill(n, 1), v_leak: fill(n, 0), v_threshold: fill(n, 1), v_reset: fill(n, 0) });

async function diagnostics(
  root: ReturnType<typeof graph>,
): Promise<Pick<Diagnostic, "code" | "severity" | "message">[]> {
  const r = await importNir(await nirBytes(root), "bad.nir");
  for (const d of r.diagnostics) expect([d.span.file, d.span.line, d.span.col]).toEqual(["bad.nir", 1, 1]);
  return r.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
}

const err = (code: string, message: string): { code: string; severity: string; message: string } => ({
  code,
  severity: "error",
  message,
});

describe("invalid NIR files", () => {
  it("an unknown primitive inside a nested graph: E0809 with its path", async () => {
    const sub = graph(
      {
        input: node("Input", { shape: [2] }),
        foo: node("Foo", { gain: [1, 2] }),
        output: node("Output", { shape: [2] }),
      },
      [
        ["input", "foo"],
        ["foo", "output"],
      ],
    );
    expect(await diagnostics(graph({ in: node("Input", { shape: [2] }), sub }, [["in", "sub"]]))).toEqual([
      err("E0809", "node `sub.foo` is a NIR Foo, which glia does not import"),
    ]);
  });

  it("a shape mismatch on an edge: E0810 naming both ends and the sizes", async () => {
    const root = graph(
      {
        in: node("Input", { shape: [3] }),
        fc: node("Linear", { weight: { shape: [2, 5], data: fill(10, 0.5) } }),
        lif: lif(2),
      },
      [
        ["in", "fc"],
        ["fc", "lif"],
      ],
    );
    expect(await diagnostics(root)).toEqual([
      err("E0810", "edge `in` -> `fc`: `in` gives 3 values (shape [3]), `fc` (Linear) takes 5"),
    ]);
  });

  it("a missing parameter: E0810", async () => {
    const bad = node("LIF", { r: [1], v_leak: [0], v_threshold: [1] });
    expect(await diagnostics(graph({ in: node("Input", { shape: [1] }), lif: bad }, [["in", "lif"]]))).toEqual([
      err("E0810", "node `lif` (LIF) has no parameter `tau`"),
    ]);
  });

  it("a parameter glia does not read: E0809", async () => {
    const l = lif(1);
    l.params.gain = { shape: [1], data: [2] };
    expect(await diagnostics(graph({ in: node("Input", { shape: [1] }), lif: l }, [["in", "lif"]]))).toEqual([
      err("E0809", "node `lif` (LIF) has a parameter `gain` glia does not read"),
    ]);
  });

  it("an edge to a node that does not exist: E0810", async () => {
    expect(await diagnostics(graph({ in: node("Input", { shape: [1] }), lif: lif(1) }, [["in", "lfi"]]))).toEqual([
      err("E0810", "edge `in` -> `lfi` names `lfi`, no node of the graph"),
    ]);
  });

  it("an LI feeding another neuron: E0809 (glia connects spikes)", async () => {
    const li = node("LI", { tau: [0.01], r: [1], v_leak: [0] });
    const root = graph({ in: node("Input", { shape: [1] }), li, lif: lif(1) }, [
      ["in", "li"],
      ["li", "lif"],
    ]);
    expect(await diagnostics(root)).toEqual([
      err("E0809", "node `li` (LI) feeds `lif`: its output is a continuous value, and glia connects spikes only"),
    ]);
  });

  it("a cycle through linear nodes only: E0810", async () => {
    const w = { shape: [1, 1], data: [0.5] };
    const root = graph(
      {
        in: node("Input", { shape: [1] }),
        a: node("Linear", { weight: w }),
        b: node("Linear", { weight: w }),
        lif: lif(1),
      },
      [
        ["in", "a"],
        ["a", "b"],
        ["b", "a"],
        ["b", "lif"],
      ],
    );
    expect(await diagnostics(root)).toEqual([
      err("E0810", "a cycle of linear nodes only (b -> a -> b): the value would depend on itself within a step"),
    ]);
  });

  it("an HDF5 file without a `node` group: E0608", async () => {
    const { loadHdf5, writeNir } = await import("../../targets/nir/hdf5.js");
    await loadHdf5();
    // a NIR file whose root is read fine, then its bytes cut after the superblock
    const bytes = writeNir({ version: "1.0.8", root: graph({}, []) });
    const r = await importNir(bytes.slice(0, 64), "bad.nir");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0608"]);
  });

  it("bytes that are not HDF5: E0608", async () => {
    const r = await importNir(new TextEncoder().encode("not a nir file\n"), "bad.nir");
    expect(r.diagnostics.map((d) => [d.code, d.span.file])).toEqual([["E0608", "bad.nir"]]);
    expect(r.diagnostics[0]!.message).toBe("cannot read NIR file 'bad.nir': not an HDF5 file (no HDF5 signature)");
  });
});
