// Back-end golden outputs of one case. In: the case's discrete IR and its golden.json, which names the stages
// it wants and for which targets; out: expected-file name -> text, named by stage and target:
//   "wat": ["wasm" | "wasm-f64"]       wat-TARGET.wat              binaryen text of the kernel module
//   "fixed-ir": [PRESET]               fixed-ir-PRESET.txt         `glia compile --target fixed --hw PRESET --emit ir`
//   "descriptor": [PRESET]             descriptor-PRESET.json      `glia compile --target crossbar|fpga --hw PRESET`
//   "emulator": [PRESET]               emulator-PRESET.json        `glia emulate --hw PRESET --json --check`
// and diagnostics-STAGE-TARGET.txt when a stage reports diagnostics (an error replaces the stage's output).
// Normalized: the WAT is laid out from heap base 1024 (the emitWat default, not the loaded runtime's); JSON
// has sorted keys (json-text.ts); the emulator summary drops its wall-clock time. A case without golden.json
// gets front-end outputs only.

import * as fs from "node:fs";
import * as path from "node:path";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { sortDiagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { diagnosticLine } from "../../compiler/diagnostics/format.js";
import { emitWat } from "../../targets/wasm/index.js";
import { watEmitter } from "../../targets/wasm/emit-wat.js";
import { fixedSpecFor } from "../../targets/fixed/hw-option.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { fixedIrEmitter } from "../../targets/fixed/emit-ir.js";
import { PRESETS } from "../../targets/hw/presets.js";
import { resolveHardwareSpec } from "../../targets/hw/resolve.js";
import type { Descriptor } from "../../targets/descriptor/types.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { lowerForHardware } from "../../targets/driver/hardware.js";
import { emulateDescriptor } from "../../targets/driver/emulate.js";
import { jsonText } from "./json-text.js";

const WAT_TARGETS = ["wasm", "wasm-f64"] as const;
const STAGES = { wat: WAT_TARGETS, "fixed-ir": PRESETS, descriptor: PRESETS, emulator: PRESETS } as const;
type Stage = keyof typeof STAGES;
export type GoldenConfig = { [S in Stage]?: readonly string[] };

/** The case's golden.json ({} when absent); throws on a stage or target it does not know. */
export function readConfig(dir: string): GoldenConfig {
  const file = path.join(dir, "golden.json");
  if (!fs.existsSync(file)) return {};
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  for (const [stage, targets] of Object.entries(raw)) {
    const known = (STAGES as Record<string, readonly string[]>)[stage];
    if (!known) throw new Error(`${file}: unknown stage "${stage}" (stages: ${Object.keys(STAGES).join(", ")})`);
    if (!Array.isArray(targets) || targets.some((t) => !known.includes(t as string))) {
      throw new Error(`${file}: "${stage}" takes a list of ${known.join(", ")}; got ${JSON.stringify(targets)}`);
    }
  }
  return raw as GoldenConfig;
}

const diagnosticsText = (ds: readonly Diagnostic[]): string =>
  sortDiagnostics([...ds])
    .map(diagnosticLine)
    .join("\n") + "\n";

/** One stage's output for one target: the text (absent after an error) and what the stage reported. */
interface StageOutput {
  text?: string;
  diagnostics: Diagnostic[];
}

/** The kernels as `compile --emit wat` prints them (the wat emit target); wasm-f64 has no emit target, so its
 *  text comes from the same emitWat at f64. */
function wat(ir: IRProgram, target: string): StageOutput {
  if (target === "wasm") {
    const r = watEmitter.emit(ir, { file: "main.glia" });
    return { text: r.stdout || undefined, diagnostics: r.diagnostics };
  }
  const diagnostics: Diagnostic[] = [];
  const text = emitWat(ir, diagnostics, "f64");
  return { text: text || undefined, diagnostics };
}

/** The fixed-point IR and the quantization report, as the driver emits `compile --target fixed --hw PRESET`. */
function fixedIr(ir: IRProgram, preset: string): StageOutput {
  const hw = resolveHardwareSpec(preset);
  if (!hw.spec) return { diagnostics: hw.diagnostics };
  const r = fixedIrEmitter.emit(quantize(ir, { spec: fixedSpecFor(hw.spec) }), { file: "main.glia" });
  return { text: r.stdout, diagnostics: r.diagnostics };
}

/** The network mapped onto the preset (crossbar or digital by the spec's kind); the descriptor must validate. */
function mapped(ir: IRProgram, preset: string): { descriptor?: Descriptor; diagnostics: Diagnostic[] } {
  const hw = resolveHardwareSpec(preset);
  if (!hw.spec) return { diagnostics: hw.diagnostics };
  const m = lowerForHardware(ir, hw.spec);
  if (!m.descriptor) return m;
  const v = validateDescriptor(JSON.parse(JSON.stringify(m.descriptor)));
  if (!v.ok) throw new Error(`the ${preset} descriptor does not validate:\n  ${v.errors.join("\n  ")}`);
  return m;
}

/** The emulation summary of the whole run (`glia emulate --json --check`, through the driver), without its
 *  wall-clock time; a failed spike check is recorded as its message. */
function emulation(ir: IRProgram, descriptor: Descriptor, preset: string): StageOutput {
  const spec = resolveHardwareSpec(preset).spec!;
  const r = emulateDescriptor(
    descriptor,
    { file: "main.glia", hw: preset, spec, json: true, check: true },
    networkSpan(ir),
  );
  if (r.failure !== undefined) return { text: r.failure + "\n", diagnostics: r.diagnostics };
  if (r.stdout === undefined) return { diagnostics: r.diagnostics };
  const summary = JSON.parse(r.stdout) as Record<string, unknown>;
  delete summary.emulator_wall_s; // run-dependent
  return { text: jsonText(summary), diagnostics: r.diagnostics };
}

/** Every back-end output `config` asks for, into `out` (text passed through `scrub`). */
export function produceBackends(
  ir: IRProgram,
  config: GoldenConfig,
  scrub: (text: string) => string,
  out: Map<string, string>,
): void {
  const put = (stage: Stage, target: string, ext: string, r: StageOutput): void => {
    if (r.text !== undefined) out.set(`${stage}-${target}.${ext}`, scrub(r.text));
    if (r.diagnostics.length > 0) out.set(`diagnostics-${stage}-${target}.txt`, scrub(diagnosticsText(r.diagnostics)));
  };
  for (const t of config.wat ?? []) put("wat", t, "wat", wat(ir, t));
  for (const p of config["fixed-ir"] ?? []) put("fixed-ir", p, "txt", fixedIr(ir, p));
  const maps = new Map<string, ReturnType<typeof mapped>>();
  const mapOnce = (p: string): ReturnType<typeof mapped> => maps.get(p) ?? maps.set(p, mapped(ir, p)).get(p)!;
  for (const p of config.descriptor ?? []) {
    const m = mapOnce(p);
    put("descriptor", p, "json", { text: m.descriptor && jsonText(m.descriptor), diagnostics: m.diagnostics });
  }
  for (const p of config.emulator ?? []) {
    const m = mapOnce(p);
    const r = m.descriptor ? emulation(ir, m.descriptor, p) : { diagnostics: [] };
    put("emulator", p, "json", { text: r.text, diagnostics: [...m.diagnostics, ...r.diagnostics] });
  }
}
