// Modulators in descriptors: the digital mapper writes each modulator's broadcast word format; the runner and
// the emulator pair it with the embedded IR's definition (descriptorModulators); corrupted entries are
// rejected by the schema or the cross-field rules.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { descriptorModulators, modulatorReads } from "../../targets/descriptor/modulators.js";
import type { DigitalDescriptor } from "../../targets/descriptor/types.js";

const copy = (d: DigitalDescriptor): DigitalDescriptor => JSON.parse(JSON.stringify(d)) as DigitalDescriptor;
const errors = (d: unknown): string[] => {
  const v = validateDescriptor(d);
  return v.ok ? [] : v.errors;
};

describe("modulator words in digital descriptors", () => {
  const c = compile("examples/soft_hebbian_wta.glia", dirHost(REPO_ROOT));
  const d = mapDigital(c.ir!, loadPreset("fpga-ultrascale").spec as DigitalSpec, { profileSteps: 200 }).descriptor!;

  it("soft_hebbian_wta on fpga-ultrascale: novelty in [exp(-2.49), 1] as an unsigned Q1.15 word, read by both SoftHebb tables", () => {
    expect(d.modulators).toHaveLength(1);
    const m = d.modulators![0]!;
    expect(m.name).toBe("novelty");
    expect(m.source).toBe("enumerated");
    expect(m.fmt).toEqual({ signed: false, intBits: 1, fracBits: 15 });
    // t-only: every value of the 1000-step run; the smallest at t = 249.5 ms: exp(-249.5 / 100)
    expect(m.range.hi).toBe(1);
    expect(m.range.lo).toBeCloseTo(Math.exp(-2.495), 12);
    expect(errors(copy(d))).toEqual([]);
    const readers = d.projections
      .filter((t) => modulatorReads(t.onPre, t.onPost, t.continuous).has("novelty"))
      .map((t) => t.projection);
    expect(readers).toEqual(["pattern_a_outputs", "pattern_b_outputs"]);
    const paired = descriptorModulators(d, c.ir!);
    expect(paired.error).toBeUndefined();
    expect(paired.mods.map((x) => [x.name, x.fmt, x.ir.name])).toEqual([["novelty", m.fmt, "novelty"]]);
  });

  it("corrupted modulator words are rejected", () => {
    const missing = copy(d);
    delete missing.modulators;
    expect(errors(missing)).toEqual([
      "/modulators: missing, but the IR defines modulator(s) novelty (the controller needs their word formats)",
    ]);
    const renamed = copy(d);
    renamed.modulators![0]!.name = "surprise";
    expect(errors(renamed)).toEqual(
      expect.arrayContaining(["/modulators/0/name: surprise, but the IR's modulator 0 is novelty"]),
    );
    const wide = copy(d);
    wide.modulators![0]!.fmt = { signed: true, intBits: 8, fracBits: 15 };
    expect(errors(wide)).toEqual(["/modulators/0/fmt: a 24-bit word on a datapath of 16-bit state words"]);
    const extra = copy(d);
    extra.modulators!.push({ ...extra.modulators![0]!, name: "reward" });
    expect(errors(extra)[0]).toMatch(
      /^\/modulators: 2 modulator word\(s\) \(novelty, reward\) for the IR's 1 \(novelty\)$/,
    );
    const badSource = copy(d) as unknown as { modulators: { source: string }[] };
    badSource.modulators[0]!.source = "guessed";
    expect(errors(badSource).join("\n")).toMatch(/modulators\/0\/source/);
    const inverted = copy(d);
    inverted.modulators![0]!.range = { lo: 1, hi: 0 };
    expect(errors(inverted)).toEqual(["/modulators/0/range: lo 1 is above hi 0"]);
    // a program reading a modulator the descriptor (and its IR) no longer define
    const unread = copy(d);
    unread.modulators![0]!.name = "other";
    (unread.ir.program as { modulators: { name: string }[] }).modulators[0]!.name = "other";
    expect(errors(unread)).toEqual(
      expect.arrayContaining(["/projections/0: reads mod.novelty, which is no modulator of the descriptor"]),
    );
  });

  it("runDescriptor uses the descriptor's word format: a mismatch with the IR is a diagnostic, not an exception", () => {
    const renamed = copy(d);
    renamed.modulators![0]!.name = "surprise";
    const r = runDescriptor(renamed, { duration: 10 * d.dt });
    expect(r.result).toBeUndefined();
    expect(r.diagnostics.map((x) => [x.code, x.message])).toEqual([
      ["E0805", "descriptor: modulator 0 is surprise in the descriptor but novelty in the IR"],
    ]);
  });
});
