// Argument lists of network constructs: matching positional/named arguments against a signature
// (E0208, E0209, E0210, E0202) and model arguments against a model's parameters and state.
// In: Arg lists and signatures; out: the matched arguments by name, plus diagnostics.

import type { Arg, ModelDef } from "../../syntax/ast.js";
import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { closest, dimEq, formatDim, type Dim } from "../../units/units.js";
import { Diagnostics as DiagList } from "../../diagnostics/diagnostic.js";
import { ModelEnv, type ProgramInfo } from "../model-env.js";
import type { NetEnv, NetWhere } from "../net-env.js";
import { asNumber } from "../dims.js";
import { checkDataColumn } from "./data-column.js";

export interface ArgSpec {
  name: string;
  /** Other accepted spellings of the name. */
  aliases?: string[];
  required: boolean;
}

/** Matches `args` of `callee(...)` against `spec`; reports problems and returns what matched. */
export function matchArgs(
  callee: string,
  calleeSpan: Span,
  args: readonly Arg[],
  spec: readonly ArgSpec[],
  diags: Diagnostics,
): Map<string, Arg> {
  const out = new Map<string, Arg>();
  let positional = 0;
  for (const a of args) {
    if (a.name === undefined) {
      const slot = spec[positional++];
      if (!slot) {
        diags.error("E0208", a.span, `\`${callee}\` takes ${spec.length} argument${spec.length === 1 ? "" : "s"}`, {
          hint: signature(callee, spec),
        });
        continue;
      }
      out.set(slot.name, a);
      continue;
    }
    const slot = spec.find((s) => s.name === a.name || s.aliases?.includes(a.name!));
    if (!slot) {
      const near = closest(
        a.name,
        spec.map((s) => s.name),
      );
      diags.error("E0209", a.nameSpan ?? a.span, `\`${callee}\` has no argument \`${a.name}\``, {
        hint: near ? `did you mean \`${near}\`? ${signature(callee, spec)}` : signature(callee, spec),
      });
      continue;
    }
    const prev = out.get(slot.name);
    if (prev) {
      diags.error("E0202", a.span, `argument \`${slot.name}\` is given twice`, {
        related: [{ span: prev.span, message: "first given here" }],
      });
      continue;
    }
    out.set(slot.name, a);
  }
  for (const s of spec) {
    if (s.required && !out.has(s.name)) {
      diags.error("E0210", calleeSpan, `\`${callee}\` needs the argument \`${s.name}\``, {
        hint: signature(callee, spec),
      });
    }
  }
  return out;
}

function signature(callee: string, spec: readonly ArgSpec[]): string {
  return `usage: ${callee}(${spec.map((s) => (s.required ? s.name : `${s.name}?`)).join(", ")})`;
}

/**
 * Arguments given to a model (population or synapse): named, each a parameter or state variable,
 * with the declared dimension (E0307); parameters without a value are required (E0210). Returns the
 * dimensions of the given arguments, which generic parameters take.
 */
export function checkModelArgs(
  model: ModelDef,
  modelSpan: Span,
  args: readonly Arg[],
  env: NetEnv,
  where: Partial<NetWhere>,
  info: ProgramInfo,
  extraProvided: readonly string[] = [],
): Map<string, Dim | undefined> {
  const diags = env.diags;
  const syms = info.symbols.get(model);
  const dims = new Map<string, Dim | undefined>();
  if (!syms) return dims;
  const quiet = new ModelEnv(syms, new DiagList(), info);
  const settable = [...model.parameters, ...model.state].map((d) => d.name);
  const given = new Map<string, Span>();
  for (const a of args) {
    const column = a.value.kind === "Call" && a.value.callee === "csv_column" ? a.value : undefined;
    const ty = column
      ? checkDataColumn(column, where.size, env)
      : asNumber(env.infer(a.value, where), a.value.span, env);
    if (a.name === undefined) {
      diags.error("E0208", a.span, `arguments of model ${model.name} must be named`, {
        hint: `write \`${model.name}(${model.parameters[0]?.name ?? "name"} = ...)\``,
      });
      continue;
    }
    const sym = syms.byName.get(a.name);
    if (!sym || (sym.kind !== "parameter" && sym.kind !== "state")) {
      const near = closest(a.name, settable);
      diags.error(
        "E0209",
        a.nameSpan ?? a.span,
        `${model.modelKind} model ${model.name} has no parameter or state variable \`${a.name}\``,
        {
          hint: near ? `did you mean \`${near}\`?` : `settable: ${settable.join(", ") || "(none)"}`,
        },
      );
      continue;
    }
    const prev = given.get(a.name);
    if (prev) {
      diags.error("E0202", a.span, `argument \`${a.name}\` is given twice`, {
        related: [{ span: prev, message: "first given here" }],
      });
      continue;
    }
    given.set(a.name, a.span);
    const argDim = ty.t === "num" ? ty.dim : undefined;
    dims.set(a.name, argDim);
    const generic = sym.kind === "parameter" && !sym.decl?.unit && !sym.decl?.value;
    if (generic || !argDim) continue;
    const declared = quiet.symbolTy(sym);
    if (declared.t === "num" && declared.dim && !dimEq(declared.dim, argDim)) {
      diags.error(
        "E0307",
        a.value.span,
        `\`${a.name}\` of ${model.name} is in ${formatDim(declared.dim)} but the argument is ${formatDim(argDim)}`,
        {
          related: [{ span: sym.span, message: "declared here" }],
        },
      );
    }
  }
  for (const p of model.parameters) {
    if (!p.value && !given.has(p.name) && !extraProvided.includes(p.name)) {
      diags.error("E0210", modelSpan, `${model.name} needs a value for parameter \`${p.name}\``, {
        related: [{ span: p.nameSpan, message: "declared without a value here" }],
        hint: `write \`${model.name}(${p.name} = ...)\``,
      });
    }
  }
  return dims;
}
