// The checker: names, scopes, physical dimensions, model rules and network rules of a whole program.
// In: the loaded Program and its data files (resolved path -> text); out: diagnostics, sorted and
// de-duplicated (a model checked once on its own and again per population/connect reports once).

import type { ModelDef, NetworkDef, Program } from "../syntax/ast.js";
import { Diagnostics, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { buildModelSymbols, type ModelSymbols } from "./scope.js";
import { ModelEnv, type ProgramInfo } from "./model-env.js";
import { NetEnv } from "./net-env.js";
import type { CheckContext } from "./context.js";
import { checkNames } from "./rules/names.js";
import { checkAliases } from "./rules/aliases.js";
import { checkSections } from "./rules/sections.js";
import { runDimensionRules } from "./rules/model-dims.js";
import { checkSynapseLinear } from "./rules/synapse-linear.js";
import { checkUnused } from "./rules/unused.js";
import { checkPopulationArgs, collectNetwork } from "./rules/network-populations.js";
import { checkNetworkSettings } from "./rules/network-settings.js";
import { checkModulators } from "./rules/modulators.js";
import { checkConnects } from "./rules/connect.js";
import { checkSources } from "./rules/sources.js";
import { checkEnsheath } from "./rules/ensheath.js";
import { checkRecords } from "./rules/records.js";
import { checkModelDt } from "./rules/model-dt.js";
import { checkNumbers } from "./rules/numbers.js";

export function checkProgram(program: Program, data: ReadonlyMap<string, string>): { diagnostics: Diagnostic[] } {
  const diags = new Diagnostics();
  const models = collectModels(program, diags);
  const info: ProgramInfo = { models: new Map(), symbols: new Map<ModelDef, ModelSymbols>() };
  for (const m of models) {
    if (!info.models.has(m.name)) info.models.set(m.name, m);
    info.symbols.set(m, buildModelSymbols(m));
  }
  const ctx: CheckContext = { program, data, diags, info };
  // aliases that would inline past the size limits stop the checker: its walks follow aliases into their values
  let refused = false;
  for (const m of models) refused = checkAliases(info.symbols.get(m)!, diags) || refused;
  if (refused) return { diagnostics: dedupe(sortDiagnostics(diags.items)) };

  const networks = collectNetworks(program, diags);
  const network = networks[0];
  const net = network ? collectNetwork(ctx, network, (n) => new NetEnv(n, diags, new Map())) : undefined;
  const netEnv = net ? new NetEnv(net, diags, new Map()) : undefined;
  if (net && netEnv) info.modulators = checkModulators(net, netEnv);

  for (const m of models) {
    const symbols = info.symbols.get(m)!;
    checkNames(symbols, diags);
    checkSections(m, diags);
    runDimensionRules(new ModelEnv(symbols, diags, info));
    checkSynapseLinear(symbols, diags);
  }

  if (net && netEnv) {
    checkNetworkSettings(net, netEnv);
    checkPopulationArgs(net, netEnv);
    checkSources(net, netEnv);
    checkEnsheath(net, netEnv);
    checkConnects(net, netEnv);
    checkRecords(net, netEnv);
    checkModelDt(net, netEnv);
  }
  checkNumbers(program, diags);
  checkUnused(program, models, diags);
  return { diagnostics: dedupe(sortDiagnostics(diags.items)) };
}

/** Every model of every file; a second model of the same name is E0202. */
function collectModels(program: Program, diags: Diagnostics): ModelDef[] {
  const out: ModelDef[] = [];
  const first = new Map<string, ModelDef>();
  for (const f of program.files) {
    for (const m of f.models) {
      const prev = first.get(m.name);
      if (prev) {
        diags.error("E0202", m.nameSpan, `model \`${m.name}\` is already defined`, {
          related: [{ span: prev.nameSpan, message: "first defined here" }],
          hint: "rename one of them",
        });
        continue;
      }
      first.set(m.name, m);
      out.push(m);
    }
  }
  return out;
}

/** The networks of the program; only one is allowed (E0510 on every further one). */
function collectNetworks(program: Program, diags: Diagnostics): NetworkDef[] {
  const all = program.files.flatMap((f) => f.networks);
  for (const n of all.slice(1)) {
    diags.error("E0510", n.nameSpan, `a program has one network, but ${n.name} is a second one`, {
      related: [{ span: all[0]!.nameSpan, message: "the first network" }],
      hint: "keep one network per program; put reusable models in imported files",
    });
  }
  return all;
}

/** Drops repeats of the same code at the same span (per-instance re-checks find the same problem). */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}@${d.span.file}:${d.span.start}-${d.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
