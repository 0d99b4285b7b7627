// Corrupted hardware specs given to `--hw file.json` (issue 17): each case mutates one field of a shipped preset
// (loihi, reram-128) programmatically and runs `glia emulate MODEL --hw bad.json`; the spec is refused before the
// model is compiled or anything is sized: exit 1, E0803 naming the JSON path, never an internal error, an
// `Infinity` report or a silently widened word. The unmodified presets load as files and emulate (the control).
import { afterAll, describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { presetText } from "../../targets/hw/presets.js";

const BUDGET_MS = 20000;
type Json = any;

const MODEL = `import "std/lif.glia"
import "std/static.glia"
network Small {
  dt = 0.1 ms
  seed = 7
  input drive = poisson(rate = 200 Hz)[8]
  population n = LIF[16]
  connect drive -> n with Static(w = 2 mV) onto ge fixed_probability(0.5)
  record spikes of n
  run 5 ms
}
`;

/** --hw reads the spec from the filesystem: it is written to a fresh temporary directory. */
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), "glia-specs-"));
const SPEC = path.join(DIR, "bad.json");
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

async function emulate(spec: string): Promise<{ code: number; stderr: string; stdout: string }> {
  fs.writeFileSync(SPEC, spec);
  const io = captureIo({ "a.glia": MODEL });
  const t0 = performance.now();
  const code = await runCli(["emulate", "a.glia", "--hw", SPEC], io);
  expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

interface Case {
  name: string;
  preset: "loihi" | "reram-128";
  mutate: (s: Json) => void;
  /** the start of the E0803 message after the spec's path */
  expect: string;
}

const CASES: Case[] = [
  {
    name: "a 1-bit state word",
    preset: "loihi",
    mutate: (s) => void (s.words.state.value = 1),
    expect: "/words/state/value: expected a value >= 2",
  },
  {
    name: "a zero-bit weight word",
    preset: "loihi",
    mutate: (s) => void (s.words.weight.value = 0),
    expect: "/words/weight/value: expected a value >= 1",
  },
  {
    name: "a word width given as a string",
    preset: "loihi",
    mutate: (s) => void (s.words.state.value = "24"),
    expect: "/words/state/value: expected integer",
  },
  {
    name: "an accumulator narrower than the state word",
    preset: "loihi",
    mutate: (s) => void (s.words.accumulator.value = 8),
    expect: "/words/accumulator/value: 8 bits, narrower than the 24-bit state words",
  },
  {
    name: "no neurons per core",
    preset: "loihi",
    mutate: (s) => void (s.neuronsPerCore.value = 0),
    expect: "/neuronsPerCore/value: expected a value >= 1",
  },
  {
    name: "1e12 neurons per core",
    preset: "loihi",
    mutate: (s) => void (s.neuronsPerCore.value = 1e12),
    expect: "/neuronsPerCore/value: expected a value <= 1048576",
  },
  {
    name: "1e308 cores",
    preset: "loihi",
    mutate: (s) => void (s.neuronCores.value = 1e308),
    expect: "/neuronCores/value: expected a value <= 1048576",
  },
  {
    name: "a negative energy",
    preset: "loihi",
    mutate: (s) => void (s.emulator.energy.synapticOp.value = -1e-12),
    expect: "/emulator/energy/synapticOp/value: expected a value >= 0",
  },
  {
    name: "a non-finite energy per synaptic event (JSON null)",
    preset: "loihi",
    mutate: (s) => void (s.energyPerSynapticEvent.value = Infinity),
    expect: "/energyPerSynapticEvent/value: expected number",
  },
  {
    name: "a 1e308 J energy per synaptic event",
    preset: "loihi",
    mutate: (s) => void (s.energyPerSynapticEvent.value = 1e308),
    expect: "/energyPerSynapticEvent/value: expected a value <= 0.000001",
  },
  {
    name: "a 1e300 conductance",
    preset: "reram-128",
    mutate: (s) => void (s.device.gOn.value = 1e300),
    expect: "/device/gOn/value: expected a value <= 1",
  },
  {
    name: "a 1e6 s read pulse",
    preset: "reram-128",
    mutate: (s) => void (s.device.readPulse.value = 1e6),
    expect: "/device/readPulse/value: expected a value <= 1",
  },
  {
    name: "a 1-bit periphery state word",
    preset: "reram-128",
    mutate: (s) => void (s.periphery = { state: { value: 1, source: "a made-up figure", table: "none" } }),
    expect: "/periphery/state/value: expected a value >= 2",
  },
];

describe("corrupted hardware specs are refused with the JSON path (E0803)", () => {
  test("the unmodified presets, given as files, emulate (the control)", async () => {
    for (const preset of ["loihi", "reram-128"]) {
      const r = await emulate(presetText(preset));
      expect(r.stderr).not.toMatch(/error\[/);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/steps on /);
    }
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const s = JSON.parse(presetText(c.preset)) as Json;
    c.mutate(s);
    const r = await emulate(JSON.stringify(s));
    expect(r.stderr).not.toMatch(/internal error|Infinity|Cannot read properties|at .*\.ts:\d+/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[E0803]: ${SPEC}: ${c.expect}`);
    expect(r.stdout).toBe("");
  });
});
