// The pass manager: runs IR passes in order, records each pass's name in the IR, collects the
// diagnostics passes report and, on request, runs the IR verifier after build and after every pass.
// In: an IRProgram, a pass list and options; out: the IR after the last pass run, the IR after each
// pass (when asked), and diagnostics (a verifier failure is an E0701 error naming the pass, not a throw;
// the passes stop after the first one that reports an error).

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { Diagnostics, hasErrors } from "../diagnostics/diagnostic.js";
import type { IRProgram } from "../ir/nodes.js";
import { withPass } from "../ir/walk.js";
import { verifyIR } from "../ir/verify.js";
import { networkSpan } from "../ir/spans.js";

/** What a pass sees besides the IR: the collector its warnings and errors go to. */
export interface PassContext {
  readonly diagnostics: Diagnostics;
}

/** One IR-to-IR pass. `run` is pure apart from reporting to `ctx`; the manager records `name` in `ir.passes`. */
export interface Pass {
  readonly name: string;
  run(ir: IRProgram, ctx: PassContext): IRProgram;
}

export function passContext(): PassContext {
  return { diagnostics: new Diagnostics() };
}

/** Runs one pass and records its name in the IR (the only place pass names are written). */
export function runPass(pass: Pass, ir: IRProgram, ctx: PassContext): IRProgram {
  return withPass(pass.run(ir, ctx), pass.name);
}

/** Runs the verifier on `ir`; each problem becomes an E0701 error naming the stage that produced the IR. */
export function verifyStage(ir: IRProgram, after: string, diagnostics: Diagnostics): boolean {
  const problems = verifyIR(ir);
  if (problems.length === 0) return true;
  diagnostics.error("E0701", networkSpan(ir), `IR verification failed after ${after}: ${problems.join("; ")}`, {
    hint: `this is a compiler bug in the ${after === "build" ? "IR builder" : `pass ${after}`}; please report it with this file`,
  });
  return false;
}

export interface RunPassesOptions {
  /** Stop after this pass (or "build": run none). */
  stopAfter?: string;
  /** Run the verifier after build and after every pass; stop at the first failure. */
  verify?: boolean;
  /** Called with the IR after build and after each pass, in order (for `--emit ir-after=all`). */
  onStage?: (name: string, ir: IRProgram) => void;
}

/** Runs `passes` over `built`. Stops early at a verifier failure (then `ir` is the last verified IR). */
export function runPasses(
  built: IRProgram,
  passes: readonly Pass[],
  options: RunPassesOptions = {},
): { ir: IRProgram; diagnostics: Diagnostic[] } {
  const ctx = passContext();
  let ir = built;
  if (options.verify && !verifyStage(ir, "build", ctx.diagnostics))
    return { ir, diagnostics: dedupe(ctx.diagnostics.items) };
  options.onStage?.("build", ir);
  if (options.stopAfter !== "build") {
    for (const pass of passes) {
      const next = runPass(pass, ir, ctx);
      // a pass that reports an error ends the passes (below); what it refused (an infinite rate) may remain in
      // its IR, which is then no compiler bug for the verifier to report
      if (options.verify && !hasErrors(ctx.diagnostics.items) && !verifyStage(next, pass.name, ctx.diagnostics)) break;
      ir = next;
      options.onStage?.(pass.name, ir);
      if (pass.name === options.stopAfter) break;
      // a pass that reports an error leaves IR the later passes must not work on (e.g. an infinite rate)
      if (hasErrors(ctx.diagnostics.items)) break;
    }
  }
  return { ir, diagnostics: dedupe(ctx.diagnostics.items) };
}

/** One report per code and span: a model instantiated by several populations is warned about once. */
function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}@${d.span.file}:${d.span.start}-${d.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
