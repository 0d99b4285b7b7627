// `glia compile FILE --target crossbar|fpga --hw PRESET|spec.json -o desc.json`: maps a network onto
// hardware and writes the descriptor. In: a .glia file, a target, a preset name or spec file, an output
// path; out: the descriptor JSON file (validated against its schema), a one-line summary, exit 0/1/2.

import { readFileSync } from "node:fs";
import { compile } from "../../compiler/pipeline.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { EXIT, UsageError, type CliIo } from "../io.js";
import { loadPreset, PRESETS } from "../../targets/hw/presets.js";
import { loadHardwareSpec, type HardwareSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { mapDigital } from "../../targets/digital/map.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import type { Descriptor } from "../../targets/descriptor/types.js";

function loadHw(hw: string): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  if (!hw.endsWith(".json")) return loadPreset(hw);
  let text: string;
  try {
    text = readFileSync(hw, "utf8");
  } catch (e) {
    return { diagnostics: [{ code: "E0803", severity: "error", message: `cannot read hardware spec ${hw}: ${(e as Error).message}`, span: syntheticSpan(hw), related: [], hint: `give a preset (${PRESETS.join(", ")}) or a readable spec .json` }] };
  }
  return loadHardwareSpec(text, hw);
}

export async function lowerCommand(file: string, target: string, hw: string | undefined, out: string | undefined, io: CliIo): Promise<number> {
  if (!hw) throw new UsageError(`--target ${target} needs --hw PRESET|spec.json (presets: ${PRESETS.join(", ")})`);
  if (!out) throw new UsageError(`--target ${target} needs -o FILE for the descriptor`);
  const r = compile(file, io.host);
  if (reportDiagnostics(r.diagnostics, r.sources, io) || !r.ir) return EXIT.diagnostics;
  const h = loadHw(hw);
  if (reportDiagnostics(h.diagnostics, r.sources, io) || !h.spec) return EXIT.diagnostics;
  const spec = h.spec;
  // the spec file is what is wrong here (a preset has no file: the diagnostic names it)
  const kindProblem = (message: string, hint: string): Diagnostic => ({ code: "E0803", severity: "error", message, span: syntheticSpan(hw), related: [], hint });
  let mapped: { descriptor?: Descriptor; diagnostics: Diagnostic[] };
  if (target === "crossbar") mapped = spec.kind === "crossbar" ? mapCrossbar(r.ir, spec) : { diagnostics: [kindProblem(`${spec.name} is a ${spec.kind} spec; --target crossbar needs a crossbar spec (e.g. reram-128)`, `map a digital spec with --target fpga`)] };
  else mapped = spec.kind === "digital" ? mapDigital(r.ir, spec) : { diagnostics: [kindProblem(`${spec.name} is a crossbar spec; --target fpga needs a digital spec (fpga-ultrascale, loihi, truenorth)`, `map a crossbar spec with --target crossbar`)] };
  if (reportDiagnostics(mapped.diagnostics, r.sources, io) || !mapped.descriptor) return EXIT.diagnostics;
  const text = JSON.stringify(mapped.descriptor) + "\n";
  const v = validateDescriptor(text);
  if (!v.ok) {
    io.err(`glia: internal error: the descriptor does not validate:\n  ${v.errors.join("\n  ")}\n`);
    return 70;
  }
  io.writeFile(out, text);
  const d = mapped.descriptor;
  const unit = d.kind === "crossbar" ? "tiles" : "cores";
  io.out(`${d.network} -> ${d.preset}: ${d.stats.units} ${unit} (lower bound ${d.stats.lowerBound}), ${d.stats.synapses} synapses, mesh ${d.mesh.x}x${d.mesh.y}${d.mesh.fromSpec ? "" : " (sized to fit)"}; wrote ${out}\n`);
  return EXIT.ok;
}
