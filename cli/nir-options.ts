// The NIR options shared by `glia import`, `run`, `compile` and `emulate` on a .nir file. In: commander's parsed
// values; out: NirEntryOptions (targets/driver/nir-entry.ts), and the .nir entry converted to glia with its
// diagnostics reported. Usage errors (an unknown convention, a bad time) are UsageError, exit 2.

import type { Command } from "commander";
import { Option } from "commander";
import { CONVENTIONS, CONVENTION_NAMES, DEFAULT_CONVENTION, type ConventionName } from "../compiler/nir/conventions.js";
import type { SourceHost } from "../compiler/syntax/load.js";
import type { NirEntryOptions } from "../targets/driver/nir-entry.js";
import { parseDuration } from "./duration.js";
import { EXIT, type CliIo } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export interface NirFlags {
  nirConvention?: string;
  nirDt?: string;
  nirInput?: string;
}

/** Adds --nir-convention, --nir-dt and --nir-input to a command. */
export function addNirOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        "--nir-convention <name>",
        `.nir input: time discretization (${CONVENTION_NAMES.map((c) => `${c}: ${CONVENTIONS[c].about}`).join("; ")})`,
      )
        .choices(CONVENTION_NAMES)
        .default(DEFAULT_CONVENTION),
    )
    .option("--nir-dt <time>", ".nir input: the network's step (default 1ms)")
    .option(
      "--nir-input <file.csv>",
      ".nir input: spikes for the Input node (csv_spikes: index,time_ms; default Poisson 100 Hz)",
    );
}

export function nirOptions(flags: NirFlags): NirEntryOptions {
  return {
    convention: (flags.nirConvention ?? DEFAULT_CONVENTION) as ConventionName,
    dt: flags.nirDt !== undefined ? parseDuration(flags.nirDt, "--nir-dt") : undefined,
    inputSpikes: flags.nirInput,
  };
}

/** The entry to compile for `file` (a .nir file: converted first, its diagnostics reported); undefined on errors. */
export async function resolveEntry(
  file: string,
  io: CliIo,
  options: NirEntryOptions,
): Promise<{ entry: string; host: SourceHost } | undefined> {
  const { isNirPath, nirEntry } = await import("../targets/driver/nir-entry.js");
  if (!isNirPath(file)) return { entry: file, host: io.host };
  const r = await nirEntry(file, io.host, options);
  if (reportDiagnostics(r.diagnostics, new Map(), io)) return undefined;
  return { entry: r.entry, host: r.host };
}

export const NIR_FAILED = EXIT.diagnostics;
