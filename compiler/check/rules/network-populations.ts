// Rule: populations and input sources of the network. Known neuron/astrocyte models (E0203), unique
// names (E0202), sizes positive integers (E0502), model arguments (E0208/E0209/E0210/E0307) with
// per-population dimension checks of the model. In: the network; out: the NetContext and diagnostics.

import { unknownModelHint } from "../stdlib-index.js";
import type { NetworkDef } from "../../syntax/ast.js";
import type { Span } from "../../diagnostics/span.js";
import { closest, formatDim, isDimensionless } from "../../units/units.js";
import { constValue, isIntegral } from "../const-value.js";
import { asNumber } from "../dims.js";
import { DEFAULT_DT } from "../../builtins/settings.js";
import { type CheckContext, type ConnectItem, type NetContext, type PopInfo } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { ModelEnv } from "../model-env.js";
import { checkModelArgs } from "./args.js";
import { runDimensionRules } from "./model-dims.js";
import type { Arg, Expr, ModelDef } from "../../syntax/ast.js";
import { Diagnostics } from "../../diagnostics/diagnostic.js";
import { forEachExpr } from "../walk.js";

/** Collects populations, sources and named projections (E0202, E0203, E0502). */
export function collectNetwork(
  ctx: CheckContext,
  network: NetworkDef,
  sizeEnv: (net: NetContext) => NetEnv,
): NetContext {
  const net: NetContext = {
    ctx,
    network,
    pops: new Map(),
    projections: new Map(),
    dt: DEFAULT_DT,
    ensheathed: new Map(),
  };
  const env = sizeEnv(net);
  const names = new Map<string, Span>();
  const declare = (name: string, span: Span): boolean => {
    const prev = names.get(name);
    if (prev) {
      ctx.diags.error("E0202", span, `\`${name}\` is already declared in network ${network.name}`, {
        related: [{ span: prev, message: "first declared here" }],
        hint: "populations, input sources and named projections share one namespace",
      });
      return false;
    }
    names.set(name, span);
    return true;
  };
  for (const item of network.items) {
    if (item.kind === "Population" || item.kind === "Input") {
      const info: PopInfo = { name: item.name, nameSpan: item.nameSpan, source: item.kind === "Input" };
      if (item.kind === "Population") {
        const model = ctx.info.models.get(item.model);
        if (!model) {
          const near = closest(
            item.model,
            [...ctx.info.models.values()].filter((m) => m.modelKind !== "synapse").map((m) => m.name),
          );
          ctx.diags.error("E0203", item.modelSpan, `unknown model \`${item.model}\``, {
            hint: unknownModelHint(item.model, near, "define it or import the file that defines it"),
          });
        } else if (model.modelKind === "synapse") {
          ctx.diags.error(
            "E0203",
            item.modelSpan,
            `${item.model} is a synapse model; a population needs a neuron or astrocyte model`,
            {
              related: [{ span: model.nameSpan, message: "defined here" }],
              hint: "synapse models are used by `connect ... with MODEL`",
            },
          );
        } else info.model = model;
      }
      info.size = checkSize(item.size, env);
      if (declare(item.name, item.nameSpan)) net.pops.set(item.name, info);
    } else if (item.kind === "Connect" && item.name !== undefined && item.nameSpan) {
      if (declare(item.name, item.nameSpan)) net.projections.set(item.name, item as ConnectItem);
    } else if (item.kind === "Setting" && item.name === "dt") {
      const v = constValue(item.value);
      if (v !== undefined && v > 0 && net.dt === DEFAULT_DT) net.dt = v;
    } else if (item.kind === "Ensheath") {
      for (const p of item.projections) if (!net.ensheathed.has(p.name)) net.ensheathed.set(p.name, item.astrocytes);
    }
  }
  return net;
}

/** A constant positive integer, or E0502 (undefined returned). */
export function checkSize(e: Expr, env: NetEnv, what = "a size"): number | undefined {
  const ty = asNumber(env.infer(e), e.span, env);
  if (ty.t !== "num") return undefined;
  if (ty.dim && !isDimensionless(ty.dim)) {
    env.diags.error("E0502", e.span, `${what} must be a positive integer, but this is ${formatDim(ty.dim)}`);
    return undefined;
  }
  const v = constValue(e);
  if (v === undefined || !isIntegral(v) || v < 1) {
    env.diags.error(
      "E0502",
      e.span,
      v === undefined ? `${what} must be a constant positive integer` : `${what} must be a positive integer, not ${v}`,
      {
        hint: "write a whole number such as 100",
      },
    );
    return undefined;
  }
  return Math.round(v);
}

/** Model arguments of every population, and the model's dimension rules with those arguments. */
export function checkPopulationArgs(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) {
    if (item.kind !== "Population") continue;
    const model = net.pops.get(item.name)?.model ?? net.ctx.info.models.get(item.model);
    if (!model || model.modelKind === "synapse") continue;
    const syms = net.ctx.info.symbols.get(model);
    const population = syms ? new ModelEnv(syms, new Diagnostics(), net.ctx.info) : undefined;
    const generic = checkModelArgs(
      model,
      item.modelSpan,
      item.args,
      env,
      { distributions: true, population, size: net.pops.get(item.name)?.size },
      net.ctx.info,
    );
    checkArgCycles(item.args, model, env);
    if (!syms || generic.size === 0) continue;
    const related = [{ span: item.nameSpan, message: `in population ${item.name}` }];
    runDimensionRules(new ModelEnv(syms, net.ctx.diags, net.ctx.info, { generic, label: item.name, related }));
  }
}

/**
 * Population arguments may read the model's parameters, so the values of one population (arguments
 * replacing defaults) must not depend on each other in a cycle (E0415, at the argument).
 */
function checkArgCycles(args: readonly Arg[], model: ModelDef, env: NetEnv): void {
  const value = new Map<string, Expr>();
  for (const p of model.parameters) if (p.value) value.set(p.name, p.value);
  const argOf = new Map<string, Arg>();
  for (const a of args) {
    if (a.name === undefined || !model.parameters.some((p) => p.name === a.name)) continue;
    value.set(a.name, a.value);
    argOf.set(a.name, a);
  }
  const reads = (e: Expr): string[] => {
    const out: string[] = [];
    forEachExpr(e, (x) => {
      if (x.kind === "Name" && value.has(x.name)) out.push(x.name);
    });
    return out;
  };
  const mark = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  const visit = (name: string, stack: string[]): void => {
    if (mark.get(name) === 2) return;
    if (mark.get(name) === 1) {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const at = cycle.map((n) => argOf.get(n)).find((a) => a !== undefined);
      if (at && !reported.has(cycle.slice().sort().join())) {
        reported.add(cycle.slice().sort().join());
        env.diags.error("E0415", at.span, `parameter values depend on each other in a cycle: ${cycle.join(" -> ")}`, {
          hint: "give one of them a value that does not read the others",
        });
      }
      return;
    }
    mark.set(name, 1);
    for (const r of reads(value.get(name)!)) visit(r, [...stack, name]);
    mark.set(name, 2);
  };
  for (const name of argOf.keys()) visit(name, []);
}
