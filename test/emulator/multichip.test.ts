// Multi-chip digital systems: a mesh's inter-chip links (targets/emulator/mesh.ts, hand-computed cycles), the
// cortical microcircuit at scale 0.1 mapped onto several loihi chips (targets/digital/map.ts chipGrid: chips,
// cores, every core inside its chip's block of the mesh, delays within the 6-bit field), a smaller microcircuit
// emulated over three chips of a 4-core test part bit-exactly against the fixed executor (--check) with the
// energy per biological second and the real-time factor in its report, and the delay-field refusal (E0804).
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { compile } from "../../compiler/pipeline.js";
import { mapDigital } from "../../targets/digital/map.js";
import { Mesh } from "../../targets/emulator/mesh.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { captureIo } from "../helpers/cli-io.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const MICROCIRCUIT = fs.readFileSync(path.join(REPO_ROOT, "examples", "microcircuit.glia"), "utf8");
const scaled = (scale: number, run: string): string => {
  const s = MICROCIRCUIT.replace(/let scale = 1\b/, `let scale = ${scale}`).replace(/run 1 s\b/, `run ${run}`);
  expect(s).not.toBe(MICROCIRCUIT);
  return s;
};

describe("Mesh: inter-chip links", () => {
  const timing = { hopCyclesX: 3, hopCyclesY: 5, linkCycles: 2 };
  it("a hop across a chip boundary adds the link's cycles and is counted; a hop within a chip is not", () => {
    // 4x1 tiles, chips of 2x1: tiles 0-1 on chip 0, 2-3 on chip 1
    const m = new Mesh(4, 1, timing, { w: 2, h: 1, cycles: 7 });
    const r = m.deliver([
      { src: 0, dst: 1, inject: 0 },
      { src: 1, dst: 2, inject: 100 },
      { src: 0, dst: 3, inject: 200 },
    ]);
    // inject port 2, east hop 3 (+7 across chips), eject port 2
    expect(Array.from(r.arrive)).toEqual([0 + 2 + 3 + 2, 100 + 2 + 3 + 7 + 2, 200 + 2 + 3 + (3 + 7) + 3 + 2]);
    expect({ hopsX: r.hopsX, hopsY: r.hopsY, chipHops: r.chipHops }).toEqual({ hopsX: 5, hopsY: 0, chipHops: 2 });
  });

  it("north-south boundaries, and the link busy for its own cycles per packet", () => {
    // 1x2 tiles, chips of 1x1: one link south from tile 0 to tile 1
    const m = new Mesh(1, 2, timing, { w: 1, h: 1, cycles: 7 });
    const r = m.deliver([
      { src: 0, dst: 1, inject: 0 },
      { src: 0, dst: 1, inject: 0 },
    ]);
    // packet 0: inject [0,2), south link granted at 2 (busy 7 cycles), arrives 2+5+7 = 14, eject [14,16)
    // packet 1: inject [2,4), link free at 9: waits 5, arrives 9+12 = 21, eject [21,23)
    expect(Array.from(r.arrive)).toEqual([16, 23]);
    expect(r.chipHops).toBe(2);
    expect(r.waitCycles).toBe(2 + 5);
  });

  it("no chips: the same mesh counts no inter-chip hops", () => {
    const r = new Mesh(4, 1, timing).deliver([{ src: 0, dst: 3, inject: 0 }]);
    expect(r.chipHops).toBe(0);
    expect(r.arrive[0]).toBe(2 + 9 + 2);
  });
});

describe("cortical microcircuit on loihi chips", () => {
  it("scale 0.1 maps onto 4 chips of 128 cores, each core in its chip's 8x4 block, delays within 6 bits", () => {
    const spec = loadPreset("loihi").spec as DigitalSpec;
    const c = compile("mc.glia", memoryHost({ "mc.glia": scaled(0.1, "10 ms") }, dirHost(REPO_ROOT)));
    expect(c.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    const m = mapDigital(c.ir!, spec, { profileSteps: 20 });
    expect(m.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const d = m.descriptor!;
    const perChip = spec.neuronCores!.value;
    expect(perChip).toBe(128);
    expect(d.cores.length).toBeGreaterThan(3 * perChip);
    expect(d.cores.length).toBeLessThanOrEqual(4 * perChip);
    expect(d.chips).toEqual({ count: 4, x: 2, y: 2, tilesX: 8, tilesY: 4 });
    expect(d.mesh).toEqual({ x: 16, y: 8, fromSpec: true });
    const seen = new Set<string>();
    for (const core of d.cores) {
      const k = Math.floor(core.id / perChip);
      const ox = (k % 2) * 8,
        oy = Math.floor(k / 2) * 4;
      expect({ id: core.id, inside: core.x >= ox && core.x < ox + 8 && core.y >= oy && core.y < oy + 4 }).toEqual({
        id: core.id,
        inside: true,
      });
      seen.add(`${core.x},${core.y},${Math.floor(core.id / 4)}`);
    }
    // 4 cores per tile: one position per tile
    expect(seen.size).toBe(Math.ceil(d.cores.length / 4));
    let maxDelay = 0;
    for (const t of d.projections) for (const x of t.delay) maxDelay = Math.max(maxDelay, x);
    expect(maxDelay).toBeGreaterThan(15);
    expect(maxDelay).toBeLessThanOrEqual(63);
  }, 90_000);

  it("scale 0.03 over 3 chips of a 4-core part: bit exact vs fixed, energy per biological second, real-time factor", async () => {
    // the spec file is read from disk: the fixture in the repository
    const spec = path.join(REPO_ROOT, "test", "emulator", "fixtures", "loihi-4core.json");
    const run = async (json: boolean): Promise<{ code: number; stdout: string }> => {
      const io = captureIo({ "mc.glia": scaled(0.03, "5 ms") });
      const code = await runCli(["emulate", "mc.glia", "--hw", spec, "--check", ...(json ? ["--json"] : [])], io);
      expect(io.stderr).not.toMatch(/error\[/);
      return { code, stdout: io.stdout };
    };
    const j = await run(true);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.stdout);
    expect(s.bit_exact_vs_fixed).toBe(true);
    expect(s.chips).toBe(3);
    expect(s.core_utilization.length).toBe(11);
    expect(s.chip_hops).toBeGreaterThan(0);
    const bio = s.steps * s.dt;
    expect(s.steps).toBe(50);
    expect(s.energy_per_bio_second_j).toBeCloseTo(s.energy_j / bio, 15);
    expect(s.real_time_factor).toBeCloseTo(s.latency_s / bio, 15);
    expect(s.real_time_factor).toBeGreaterThan(0);
    // every inter-chip hop charged the preset's 11 pJ on top of the message and on-chip hop costs
    expect(s.energy_breakdown_j.routing).toBeGreaterThanOrEqual(s.chip_hops * 1.1e-11);
    // the background is host-injected: one packet per background spike and destination core
    expect(s.host_packets).toBeGreaterThan(0);
    expect(s.energy_charged).toContain("interChipHop");
    const t = await run(false);
    expect(t.stdout).toMatch(/real-time factor \d\.\d{3}e[-+]\d+/);
    expect(t.stdout).toMatch(/\d\.\d{3}e[-+]\d+ J per biological second/);
    expect(t.stdout).toContain("3 chips, 11 cores;");
    expect(t.stdout).toContain("bit exact vs fixed: true");
  }, 90_000);
});

describe("per-synapse delay field", () => {
  it("a delay beyond loihi's 6 bits (63 steps) is refused at its connect (E0804) with the numbers", async () => {
    const src = `import "std/static.glia"
import "std/lif.glia"

network D {
  dt = 0.1 ms
  population a = LIF(E_L = -40 mV)[1]
  population b = LIF[1]
  connect a -> b with Static(w = 2 mV) onto ge one_to_one delay = 6.4 ms
  run 10 ms
}
`;
    const io = captureIo({ "d.glia": src });
    const code = await runCli(["emulate", "d.glia", "--hw", "loihi"], io);
    expect(code).toBe(1);
    expect(io.stderr).toContain(
      "d.glia:8:3: error[E0804]: a_b: a synapse delay of 64 steps (6.400 ms) exceeds the 6-bit delay field of a loihi synapse (at most 63 steps, 6.300 ms at dt = 0.1000 ms)",
    );
    const ok = captureIo({ "d.glia": src.replace("6.4 ms", "6.3 ms") });
    expect(await runCli(["emulate", "d.glia", "--hw", "loihi"], ok)).toBe(0);
  });
});
