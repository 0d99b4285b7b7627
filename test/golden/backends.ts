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
import { resolveHardware } from "../../targets/fixed/hw-option.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { printFixedIR, printReport } from "../../targets/fixed/print.js";
import { PRESETS } from "../../targets/hw/presets.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { mapDigital } from "../../targets/digital/map.js";
import type { Descriptor } from "../../targets/descriptor/types.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { costModel, emulate, emulationSummary, EmulatorError, firstSpikeDifference } from "../../targets/emulator/index.js";
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

const diagnosticsText = (ds: readonly Diagnostic[]): string => sortDiagnostics([...ds]).map(diagnosticLine).join("\n") + "\n";

/** One stage's output for one target: the text (absent after an error) and what the stage reported. */
interface StageOutput {
  text?: string;
  diagnostics: Diagnostic[];
}

function wat(ir: IRProgram, target: string): StageOutput {
  const diagnostics: Diagnostic[] = [];
  const text = emitWat(ir, diagnostics, target === "wasm" ? "f32" : "f64");
  return { text: text || undefined, diagnostics };
}

/** The fixed-point IR and the quantization report, laid out as `compile --target fixed --emit ir` prints them. */
function fixedIr(ir: IRProgram, preset: string): StageOutput {
  const hw = resolveHardware(preset);
  if (!hw.spec) return { diagnostics: hw.diagnostics };
  const q = quantize(ir, { spec: hw.spec });
  if (!q.program) return { diagnostics: q.diagnostics };
  return { text: `${printFixedIR(q.program)}\nquantization report\n${printReport(q.report, q.approximations)}`, diagnostics: q.diagnostics };
}

/** The network mapped onto the preset (crossbar or digital by the spec's kind); the descriptor must validate. */
function mapped(ir: IRProgram, preset: string): { descriptor?: Descriptor; diagnostics: Diagnostic[] } {
  const hw = resolveHardware(preset);
  if (!hw.hardware) return { diagnostics: hw.diagnostics };
  const m = hw.hardware.kind === "crossbar" ? mapCrossbar(ir, hw.hardware) : mapDigital(ir, hw.hardware);
  if (!m.descriptor) return m;
  const v = validateDescriptor(JSON.parse(JSON.stringify(m.descriptor)));
  if (!v.ok) throw new Error(`the ${preset} descriptor does not validate:\n  ${v.errors.join("\n  ")}`);
  return m;
}

/** The emulation summary of the whole run, with the spike check against the fixed-point descriptor runner. */
function emulation(ir: IRProgram, descriptor: Descriptor, preset: string): StageOutput {
  const hw = resolveHardware(preset).hardware!;
  const at = networkSpan(ir); // where `glia emulate FILE` reports: the network declaration
  let result;
  try {
    result = emulate(descriptor, costModel(hw), { steps: descriptor.steps });
  } catch (err) {
    if (!(err instanceof EmulatorError)) throw err;
    return { diagnostics: [{ code: "E0801", severity: "error", message: `emulator: ${err.message}`, span: at, related: [] }] };
  }
  const ran = runDescriptor(descriptor, { duration: descriptor.steps * descriptor.dt }, at);
  if (!ran.result) return { diagnostics: ran.diagnostics };
  const summary: Partial<ReturnType<typeof emulationSummary>> = emulationSummary(result, firstSpikeDifference(result.spikes, ran.result.spikes) === null);
  delete summary.emulator_wall_s; // run-dependent
  return { text: jsonText(summary), diagnostics: ran.diagnostics };
}

/** Every back-end output `config` asks for, into `out` (text passed through `scrub`). */
export function produceBackends(ir: IRProgram, config: GoldenConfig, scrub: (text: string) => string, out: Map<string, string>): void {
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
