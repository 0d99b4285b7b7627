// Runs benchmark configurations through the engines, one after another (never in parallel: timings
// would disturb each other). In: configs, the engine list and a BenchContext; out: one ConfigResult per
// config. `runIsolated` runs each config in a fresh `glia bench NAME --json` process so peak memory is
// that configuration's own.

import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { BenchConfig } from "./configs.js";
import type { BenchContext, BenchEngine } from "./engine.js";
import { configResult, type ConfigResult, type EngineEntry } from "./report.js";

export interface BenchFailure {
  config: string;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/** Every engine that applies, in list order (glia first, so it is measured on an otherwise idle process). */
export async function runConfig(
  config: BenchConfig,
  engines: readonly BenchEngine[],
  ctx: BenchContext,
  log: (line: string) => void = () => {},
): Promise<{ result: ConfigResult } | { failure: BenchFailure }> {
  const entries: EngineEntry[] = [];
  const load = loadavg()[0]!;
  for (const engine of engines) {
    if (!engine.applies(config)) continue;
    log(`bench ${config.name}: ${engine.name} ...`);
    const t0 = performance.now();
    const outcome = await engine.measure(config, ctx);
    if (outcome.kind === "diagnostics")
      return { failure: { config: config.name, diagnostics: outcome.diagnostics, sources: outcome.sources } };
    if (outcome.kind === "unavailable") {
      log(`bench ${config.name}: ${engine.name}: ${outcome.reason}`);
      entries.push({ engine: engine.name, role: engine.role, unavailable: outcome.reason });
    } else {
      log(`bench ${config.name}: ${engine.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      entries.push({ engine: engine.name, role: engine.role, row: outcome.row });
    }
  }
  return { result: configResult(config, entries, load) };
}

/**
 * Runs `command args` (a glia bench invocation for one config, with --json) and parses the one
 * ConfigResult it prints; stderr (progress lines) is passed through to `log`.
 */
export function runIsolated(
  command: string,
  args: string[],
  log: (line: string) => void,
): Promise<{ result: ConfigResult } | { problem: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderrTail = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderrTail = (stderrTail + s).slice(-4000);
      for (const line of s.split("\n")) if (line.trim()) log(line);
    });
    child.on("error", (e) => resolve({ problem: `${command}: ${e.message}` }));
    child.on("close", (code) => {
      if (code !== 0) {
        resolve({ problem: `exit ${code}: ${stderrTail.trim().split("\n").slice(-3).join(" / ")}` });
        return;
      }
      try {
        resolve({ result: JSON.parse(stdout.trim()) as ConfigResult });
      } catch {
        resolve({ problem: `no JSON result on stdout: ${stdout.slice(0, 200)}` });
      }
    });
  });
}
