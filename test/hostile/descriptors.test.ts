// Corrupted hardware descriptors (issue 17): a descriptor compiled from examples/lsm_reram.glia (its fixed seed)
// for a digital and a crossbar spec, then mutated programmatically (one field each), is rejected when
// `glia emulate FILE --check` loads it, before anything runs: exit 1, E0805 (or E0807 for a run past the resource
// limits) with the JSON path of the bad field, never "spikes differ", an internal error or a JavaScript
// TypeError/RangeError. The unmodified descriptors still emulate bit-exact.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { compile } from "../../compiler/pipeline.js";
import { captureIo } from "../helpers/cli-io.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { lowerForHardware } from "../../targets/driver/hardware.js";
import { resolveHardwareSpec } from "../../targets/hw/resolve.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import type { Descriptor } from "../../targets/descriptor/types.js";

const BUDGET_MS = 20000;
const PRESET = { digital: "fpga-ultrascale", crossbar: "reram-128" } as const;
type Kind = keyof typeof PRESET;
type Json = any;

const base: Partial<Record<Kind, string>> = {};

function descriptor(kind: Kind): Json {
  return JSON.parse(base[kind]!);
}

/** JSON path and node of the first node of kind `k` in `stmts` (depth first). */
function find(stmts: Json[], path: string, k: string): { path: string; node: Json } {
  const stack: { v: Json; p: string }[] = stmts.map((v, i) => ({ v, p: `${path}/${i}` })).reverse();
  while (stack.length) {
    const { v, p } = stack.pop()!;
    if (v && typeof v === "object") {
      if (v.k === k) return { path: p, node: v };
      for (const key of Object.keys(v).reverse())
        if (typeof v[key] === "object") stack.push({ v: v[key], p: `${p}/${key}` });
    }
  }
  throw new Error(`no ${k} node under ${path}`);
}

interface Case {
  name: string;
  kind: Kind;
  /** changes `d`; may return a rewrite of its JSON text */
  mutate: (d: Json) => void | ((text: string) => string);
  /** run for the descriptor's own steps instead of --duration 5ms */
  ownSteps?: boolean;
  /** the JSON path the diagnostic names */
  path: string | ((d: Json) => string);
  code?: "E0805" | "E0807";
}

let where = "";
const CASES: Case[] = [
  {
    name: "unknown op",
    kind: "digital",
    mutate: (d) => void (d.neurons[0].update[0].value.k = "frobnicate"),
    path: "/neurons/0/update/0/value/k",
  },
  {
    name: "empty node",
    kind: "digital",
    mutate: (d) => void (d.neurons[0].update[0].value.a = {}),
    path: "/neurons/0/update/0/value/a/k",
  },
  {
    name: "threshold constant as a string",
    kind: "digital",
    mutate: (d) => void (d.neurons[0].threshold.b.raw = String(d.neurons[0].threshold.b.raw)),
    path: "/neurons/0/threshold/b/raw",
  },
  {
    name: "routing entry out of range",
    kind: "crossbar",
    mutate: (d) => void (d.routing[1].routes[0].to = 99),
    path: "/routing/1/routes/0/to",
  },
  {
    name: "periphery tile out of range",
    kind: "crossbar",
    mutate: (d) => void (d.periphery[0].tiles[0] = 99),
    path: "/periphery/0/tiles/0",
  },
  {
    name: "group size disagreeing with its IR",
    kind: "digital",
    mutate: (d) => void (d.ir.program.groups[0].size = 50),
    path: "/neurons/0/size",
  },
  {
    name: "absurd constant",
    kind: "digital",
    mutate: (d) => {
      const c = find(d.neurons[0].update, "/neurons/0/update", "const");
      c.node.raw = 2 ** 40;
      where = `${c.path}/raw`;
    },
    path: () => where,
  },
  {
    name: "absurd shift",
    kind: "crossbar",
    mutate: (d) => {
      const c = find(d.neurons[0].update, "/neurons/0/update", "shift");
      c.node.by = -1000;
      where = `${c.path}/by`;
    },
    path: () => where,
  },
  {
    name: "absurd refractory",
    kind: "digital",
    mutate: (d) => void (d.neurons[0].refractory.steps = 1e12),
    path: "/neurons/0/refractory/steps",
  },
  {
    name: "huge delay, consistent between the synapse table and the cores",
    kind: "digital",
    mutate: (d) => {
      const t = d.projections[0];
      t.delay = t.delay.map(() => 1e9);
      for (const c of d.cores)
        for (const m of c.synapses) if (m.projection === t.projection) m.delay = m.delay.map(() => 1e9);
    },
    path: "/projections/0/delay/0",
  },
  {
    name: "huge neuron count, consistent between the program and the IR",
    kind: "digital",
    mutate: (d) => {
      d.neurons[0].size = 1e9;
      d.ir.program.groups[0].size = 1e9;
    },
    path: "/neurons/0/",
  },
  {
    name: "huge input population (nothing else states its size)",
    kind: "crossbar",
    mutate: (d) => void (d.ir.program.sources[0].size = 2 ** 31),
    path: "/ir/program/sources/0/size",
    code: "E0807",
  },
  {
    name: "run past the step limit",
    kind: "digital",
    mutate: (d) => void (d.steps = 2 ** 40),
    ownSteps: true,
    path: "/steps",
    code: "E0807",
  },
  {
    name: "10,000-deep nested expression",
    kind: "digital",
    // built as text: JSON.stringify itself recurses once per level
    mutate: (d) => {
      const s = d.neurons[0].update[0];
      const inner = JSON.stringify(s.value),
        tail = `,"fmt":${JSON.stringify(s.value.fmt)},"ovf":"saturate"}`;
      s.value = "@deep@";
      return (text: string) => text.replace('"@deep@"', '{"k":"neg","a":'.repeat(10000) + inner + tail.repeat(10000));
    },
    path: "/neurons/0/update: the program is nested deeper than 256 levels",
  },
];

async function emulate(
  kind: Kind,
  text: string,
  ownSteps = false,
): Promise<{ code: number; stderr: string; stdout: string }> {
  const io = captureIo({ "d.json": text });
  const t0 = performance.now();
  const args = ["emulate", "d.json", "--hw", PRESET[kind], "--check", ...(ownSteps ? [] : ["--duration", "5ms"])];
  const code = await runCli(args, io);
  expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

beforeAll(() => {
  const c = compile("examples/lsm_reram.glia", dirHost(REPO_ROOT));
  for (const kind of ["digital", "crossbar"] as const) {
    const m = lowerForHardware(c.ir!, resolveHardwareSpec(PRESET[kind]).spec!);
    base[kind] = JSON.stringify(m.descriptor);
  }
});

describe("corrupted descriptors are rejected at load with the JSON path (emulate --check)", () => {
  test("the unmodified descriptors emulate bit-exact (the control)", async () => {
    for (const kind of ["digital", "crossbar"] as const) {
      const r = await emulate(kind, base[kind]!);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      expect(r.stdout).toContain("bit exact vs fixed: true");
    }
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const d = descriptor(c.kind);
    const rewrite = c.mutate(d);
    const r = await emulate(c.kind, rewrite ? rewrite(JSON.stringify(d)) : JSON.stringify(d), c.ownSteps);
    const path = typeof c.path === "string" ? c.path : c.path(d);
    expect(r.stderr).not.toMatch(
      /internal error|spikes differ|Cannot read properties|Maximum call stack|at .*\.ts:\d+/,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[${c.code ?? "E0805"}]: d.json: ${path}`);
    expect(r.stdout).toBe("");
  });

  test("the descriptor runner refuses the same program corruptions of a descriptor built in memory (E0805)", () => {
    for (const c of CASES.filter((x) => /unknown op|empty node|string|shift|deep/.test(x.name))) {
      const d0 = descriptor(c.kind);
      const rewrite = c.mutate(d0);
      const d = (rewrite ? JSON.parse(rewrite(JSON.stringify(d0))) : d0) as Descriptor;
      const r = runDescriptor(d, { duration: 0.001 });
      expect(r.result).toBeUndefined();
      expect(r.diagnostics.map((x) => x.code)).toContain("E0805");
      expect(r.diagnostics[0]!.message).toContain(typeof c.path === "string" ? c.path : c.path(d));
    }
  });

  test("every problem of a descriptor is listed (up to 20), each with its path", () => {
    const d = descriptor("crossbar");
    d.routing[1].routes[0].to = 99;
    d.periphery[0].tiles[0] = 99;
    const v = validateDescriptor(JSON.stringify(d));
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.errors).toEqual([
        expect.stringMatching(/^\/routing\/1\/routes\/0\/to: /),
        expect.stringMatching(/^\/periphery\/0\/tiles\/0: /),
      ]);
  });
});
