// Mapping onto hardware, for every command that needs a descriptor. In: the discrete IR and a hardware spec;
// out: the descriptor (crossbar tiles or digital cores, by the spec's kind) and diagnostics. Also the two
// descriptor emit targets, `crossbar` and `fpga` (`glia compile FILE --target crossbar|fpga --hw SPEC -o FILE`):
// the descriptor JSON, validated against its schema, written to -o, and a one-line summary.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { HardwareSpec } from "../hw/spec.js";
import type { Descriptor } from "../descriptor/types.js";
import { validateDescriptor } from "../descriptor/validate.js";
import { mapCrossbar } from "../crossbar/map.js";
import { mapDigital } from "../digital/map.js";
import { withSpec } from "../descriptor/spec-hash.js";
import { capabilityDiagnostics } from "../hw/capabilities.js";
import type { Emitter } from "../target.js";

/** IR + hardware spec -> descriptor + diagnostics: crossbar specs map onto tiles, digital specs onto cores. A
 *  model outside the spec's native core dynamics is refused (E0814), or with `allowApproximateCores` mapped with
 *  a warning naming the borrowed costs (W1014; targets/hw/capabilities.ts). */
export function lowerForHardware(
  ir: IRProgram,
  spec: HardwareSpec,
  opts: { neuronsPerCore?: number; allowApproximateCores?: boolean } = {},
): { descriptor?: Descriptor; diagnostics: Diagnostic[] } {
  const refused = sourcePostProjections(ir, spec);
  if (refused.length > 0) return { diagnostics: refused };
  if (spec.kind === "crossbar" && opts.neuronsPerCore !== undefined)
    return {
      diagnostics: [
        {
          code: "E0801",
          severity: "error",
          message: `--neurons-per-core applies to digital cores; ${spec.name} is a crossbar spec (its tiles are packed by the crossbar mapper)`,
          span: ir.spans?.network ?? syntheticSpan(ir.network),
          related: [],
          hint: "leave the option out, or give a digital spec (loihi, fpga-ultrascale, truenorth)",
        },
      ],
    };
  const caps = capabilityDiagnostics(ir, spec, opts.allowApproximateCores === true);
  if (caps.some((d) => d.severity === "error")) return { diagnostics: caps };
  const m =
    spec.kind === "crossbar" ? mapCrossbar(ir, spec) : mapDigital(ir, spec, { neuronsPerCore: opts.neuronsPerCore });
  const diagnostics = [...caps, ...m.diagnostics];
  return m.descriptor ? { diagnostics, descriptor: withSpec(m.descriptor, spec) } : { diagnostics };
}

/**
 * Hardware stores a synapse with its post neuron (a core's synapse memory, a crossbar column): a projection
 * onto an input source (allowed on the simulation targets for synapses that use no post variable) has no
 * place there, so it is refused (E0801 at the connect), not dropped.
 */
function sourcePostProjections(ir: IRProgram, spec: HardwareSpec): Diagnostic[] {
  const sources = new Set(ir.sources.map((s) => s.name));
  return ir.projections
    .filter((p) => sources.has(p.post.population))
    .map((p) => ({
      code: "E0801" as const,
      severity: "error" as const,
      message: `${spec.name}: projection ${p.name} ends on the input source ${p.post.population}; hardware stores every synapse with its post neuron, and an input has none`,
      span: p.span ?? ir.spans?.network ?? syntheticSpan(ir.network),
      related: [],
      hint: "run it on reference, wasm or fixed, or connect onto a neuron population",
    }));
}

/** The emit target writing the descriptor of one kind of spec (`crossbar`: crossbar specs; `fpga`: every digital
 *  spec). A spec of the other kind is E0803 at the spec. */
export function descriptorEmitter(name: "crossbar" | "fpga"): Emitter<IRProgram> {
  const kind = name === "crossbar" ? "crossbar" : "digital";
  return {
    name,
    emit(ir, options) {
      const spec = options.spec!,
        hw = options.hw!,
        out = options.out!; // required options (registry entry)
      if (spec.kind !== kind) {
        const message =
          kind === "crossbar"
            ? `${spec.name} is a ${spec.kind} spec; --target crossbar needs a crossbar spec (e.g. reram-128)`
            : `${spec.name} is a crossbar spec; --target fpga needs a digital spec (fpga-ultrascale, loihi, truenorth)`;
        const hint =
          kind === "crossbar" ? "map a digital spec with --target fpga" : "map a crossbar spec with --target crossbar";
        // the spec file is what is wrong here (a preset has no file: the diagnostic names it)
        return {
          diagnostics: [{ code: "E0803", severity: "error", message, span: syntheticSpan(hw), related: [], hint }],
        };
      }
      const mapped = lowerForHardware(ir, spec, {
        neuronsPerCore: options.neuronsPerCore,
        allowApproximateCores: options.allowApproximateCores === true,
      });
      const d = mapped.descriptor;
      if (!d) return { diagnostics: mapped.diagnostics };
      const text = JSON.stringify(d) + "\n";
      const v = validateDescriptor(text);
      if (!v.ok) throw new Error(`the descriptor does not validate:\n  ${v.errors.join("\n  ")}`); // a bug in the mapping
      const unit = d.kind === "crossbar" ? "tiles" : "cores";
      const stdout = `${d.network} -> ${d.preset}: ${d.stats.units} ${unit} (lower bound ${d.stats.lowerBound}), ${d.stats.synapses} synapses, mesh ${d.mesh.x}x${d.mesh.y}${d.mesh.fromSpec ? "" : " (sized to fit)"}; wrote ${out}\n`;
      return { stdout, files: [{ path: out, content: text }], diagnostics: mapped.diagnostics };
    },
  };
}

export const crossbarEmitter = descriptorEmitter("crossbar");
export const fpgaEmitter = descriptorEmitter("fpga");
