// `--compare TARGET` (glia run, glia emulate): the second run, the fidelity report, and, when a fixed-point run
// fails the verdict, the word widths that would pass, found by running the fixed target again with wider
// words. In: the discrete IR, the first run's result, the comparison target, run options and the distance
// parameters; out: a FidelityReport (or diagnostics).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRExpr, IRProgram, IRStmt } from "../../compiler/ir/nodes.js";
import { fidelityReport, type FidelityContext, type FidelityReport } from "../fidelity/report.js";
import { DEFAULT_FIXED_SPEC, makeFixedTarget } from "../fixed/index.js";
import { resolveHardware } from "../fixed/hw-option.js";
import type { FixedSpec } from "../fixed/ir.js";
import type { RunOptions, RunResult } from "../target.js";
import { runAgain } from "./driver.js";

export type Distances = { vpQPerMs?: number; vrTauMs?: number };

/** Synaptic inputs (variables projections' on-pre handlers write) and update periods, from the IR. */
export function fidelityContext(ir: IRProgram): FidelityContext {
  const synapticInputs = new Set<string>();
  const walk = (stmts: IRStmt[], post: string): void => {
    for (const s of stmts) {
      if (s.k === "assign" && s.target.space === "post") synapticInputs.add(`${post}.${s.target.name}`);
      if (s.k === "if") {
        walk(s.then, post);
        walk(s.otherwise, post);
      }
    }
  };
  for (const p of ir.projections) walk(p.onPre, p.post.population);
  return {
    synapticInputs,
    pspInputs: pspInputs(ir, synapticInputs),
    stepEvery: new Map(ir.groups.map((g) => [g.name, g.stepEvery])),
  };
}

/** "POP.var" of each neuron state variable (not itself a synaptic input) whose update reads synaptic inputs
 *  (the PSP they drive, e.g. v of a current-based LIF), and those inputs. */
function pspInputs(ir: IRProgram, synaptic: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of ir.groups) {
    if (g.kind !== "neuron") continue; // an astrocyte's Ca or h reading IP3 is no PSP
    const own = new Set([...synaptic].filter((k) => k.startsWith(`${g.name}.`)).map((k) => k.slice(g.name.length + 1)));
    if (own.size === 0) continue;
    const reads = new Map<string, Set<string>>(); // local -> synaptic inputs it reads
    const refs = (e: IRExpr, acc: Set<string>): void => {
      if (e.k === "ref") {
        if (e.ref.space === "local") for (const r of reads.get(e.ref.name) ?? []) acc.add(r);
        else if (own.has(e.ref.name)) acc.add(e.ref.name);
      } else if (e.k === "neg" || e.k === "not") refs(e.a, acc);
      else if (e.k === "bin") for (const x of [e.a, e.b]) refs(x, acc);
      else if (e.k === "sel") for (const x of [e.c, e.a, e.b]) refs(x, acc);
      else if (e.k === "call") for (const x of e.args) refs(x, acc);
    };
    const walk = (stmts: IRStmt[]): void => {
      for (const s of stmts) {
        if (s.k === "if") {
          walk(s.then);
          walk(s.otherwise);
        } else {
          const acc = new Set<string>();
          refs(s.value, acc);
          if (s.k === "let") reads.set(s.name, acc);
          else if (s.target.space === "state" && !own.has(s.target.name) && acc.size) {
            const key = `${g.name}.${s.target.name}`;
            out.set(key, [...new Set([...(out.get(key) ?? []), ...[...acc].map((r) => `${g.name}.${r}`)])]);
          }
        }
      }
    };
    walk(g.update);
  }
  return out;
}

/** Wider specs to try, narrowest first: wider coefficients alone when the grid moved a decay's time constant,
 *  the frozen state's need, then +4, +8 and +16 bits on every word. */
function widerSpecs(spec: FixedSpec, stateNeeded?: number, decays?: boolean): FixedSpec[] {
  const c = (x: number): number => Math.min(32, x);
  const out: FixedSpec[] = [];
  const add = (state: number, extra: number): void => {
    const s: FixedSpec = {
      ...spec,
      name: `${spec.name}+`,
      stateBits: c(state),
      weightBits: c(spec.weightBits + extra),
      coefBits: c(spec.coefBits + extra),
    };
    if (!out.some((o) => o.stateBits === s.stateBits && o.weightBits === s.weightBits && o.coefBits === s.coefBits))
      out.push(s);
  };
  if (decays)
    for (const extra of [4, 8]) {
      const s: FixedSpec = { ...spec, name: `${spec.name}+`, coefBits: c(spec.coefBits + extra) };
      if (s.coefBits > spec.coefBits) out.push(s);
    }
  if (stateNeeded) add(stateNeeded, 0);
  for (const extra of [4, 8, 16]) add(Math.max(spec.stateBits + extra, stateNeeded ?? 0), extra);
  return out.filter(
    (s) => s.stateBits > spec.stateBits || s.weightBits > spec.weightBits || s.coefBits > spec.coefBits,
  );
}

const widths = (s: FixedSpec): string =>
  `${s.stateBits}-bit state, ${s.weightBits}-bit weight, ${s.coefBits}-bit coefficient words`;

/** Re-runs the fixed target with wider words until the verdict passes; the sentence for the verdict. */
function suggestWidths(
  ir: IRProgram,
  ref: RunResult,
  options: RunOptions,
  dist: Distances,
  ctx: FidelityContext,
  report: FidelityReport,
): string {
  let spec = DEFAULT_FIXED_SPEC;
  if (options.hw !== undefined) {
    const hw = resolveHardware(options.hw);
    if (!hw.spec) return "";
    spec = hw.spec;
  }
  const tried: string[] = [];
  for (const s of widerSpecs(spec, report.verdict.state_bits_needed, (report.decays?.length ?? 0) > 0)) {
    const ran = makeFixedTarget(s).run(ir, { duration: options.duration, seed: options.seed, numericGuard: "warn" });
    if (!ran.result) {
      tried.push(`${widths(s)}: no run`);
      continue;
    }
    const r = fidelityReport(ran.result, ref, dist, ctx);
    if (r.verdict.pass) return `suggested: ${widths(s)} pass (re-run on the fixed target with them)`;
    tried.push(`${s.stateBits}/${s.weightBits}/${s.coefBits}: ${r.verdict.failures.length} failure(s)`);
  }
  return `no wider words pass (tried state/weight/coefficient bits ${tried.join(", ")}): the loss is not word width alone`;
}

/** Runs `against` on the same IR and reports `result`'s fidelity to it; a fixed-point result that fails
 *  the verdict gets the word widths that would pass (when `suggest` and the fixed target ran it). */
export async function compareWith(
  ir: IRProgram,
  result: RunResult,
  against: string,
  options: RunOptions,
  dist: Distances,
  suggest: boolean,
): Promise<{ report?: FidelityReport; diagnostics: Diagnostic[] }> {
  const ran = await runAgain(against, ir, { duration: options.duration, seed: options.seed });
  if (!ran.result) return { diagnostics: ran.diagnostics };
  const ctx = fidelityContext(ir);
  const report = fidelityReport(result, ran.result, dist, ctx);
  if (suggest && result.fixedPoint && !report.verdict.pass)
    report.verdict.suggestion = suggestWidths(ir, ran.result, options, dist, ctx, report);
  return { report, diagnostics: ran.diagnostics };
}
