// The glia command line: `glia check|compile|run|bench|emulate|import|export`. In: argv and a CliIo; out: an
// exit code (0 success, 1 diagnostics, 2 usage). Argument parsing is commander's; commands live in commands/ and call the
// driver (targets/driver); the targets and their options come from its registry.

import { Command, CommanderError, Option } from "commander";
import { checkCommand } from "./commands/check.js";
import { compileCommand } from "./commands/compile.js";
import { runCommand } from "./commands/run.js";
import { parsePositive } from "./commands/fidelity.js";
import { parseDuration, parseSeed, parseThreads, parseWeightBits, parseWindow } from "./duration.js";
import { DEFAULT_RUN_TARGET, TargetOptionError, targetNames } from "../targets/driver/registry.js";
import { PRESETS } from "../targets/hw/preset-names.js";
import { EXIT, UsageError, jsonError, nodeIo, outputDiagnostic, type CliIo } from "./io.js";
import { OutputError } from "./output-files.js";
import { reportDiagnostics } from "./report-diagnostics.js";
import { addNirOptions, nirOptions, resolveEntry, type NirFlags } from "./nir-options.js";

/** `--allow-path DIR` (repeatable): imports and data files may also come from DIR (compiler/syntax/load.ts). */
const ALLOW_PATH = "--allow-path <dir>";
const ALLOW_PATH_HELP = "also allow imports and data files under DIR (repeatable; default: the entry's directory)";
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `io` whose source host also allows `dirs`. */
function allowing(io: CliIo, dirs: string[]): CliIo {
  if (dirs.length === 0) return io;
  return { ...io, host: { ...io.host, allowedDirs: [...(io.host.allowedDirs ?? []), ...dirs] } };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("glia")
    .description("compiler toolchain for spiking networks of neurons, synapses and astrocytes")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError("(run 'glia --help' for usage)");
  const setCode = (c: number): void => {
    code = c;
  };
  addCheck(program, io, setCode);
  addCompile(program, io, setCode);
  addRun(program, io, setCode);
  addBench(program, io, setCode);
  addEmulate(program, io, setCode);
  addImport(program, io, setCode);
  addExport(program, io, setCode);

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other commander error (and help shown for an error) is usage
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof OutputError) {
      reportDiagnostics([outputDiagnostic(e.path, e.message)], new Map(), io);
      if (argv.includes("--json")) io.out(jsonError({ diagnostics: [outputDiagnostic(e.path, e.message)] }) + "\n");
      return EXIT.diagnostics;
    }
    if (e instanceof UsageError || e instanceof TargetOptionError) {
      io.err(`glia: ${e.message}\n`);
      if (argv.includes("--json")) io.out(jsonError({ kind: "usage", message: e.message }) + "\n");
      return EXIT.usage;
    }
    throw e;
  }
  return code;
}

/** glia check FILES...: parse and check models (a .nir file: its glia conversion). */
function addCheck(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const cmd = program
    .command("check")
    .description("parse and check models: names, units, rules")
    .argument("<files...>", ".glia files (or .nir: converted first)")
    .option(ALLOW_PATH, ALLOW_PATH_HELP, collect, []);
  addNirOptions(cmd).action(async (files: string[], opts: NirFlags & { allowPath: string[] }) => {
    let code: number = EXIT.ok;
    for (const file of files) {
      const at = await nirAware(file, allowing(io, opts.allowPath), opts);
      code = Math.max(code, at ? checkCommand([at.file], at.io) : EXIT.diagnostics);
    }
    setCode(code);
  });
}

/** glia compile FILE: print a stage of the pipeline, or map onto hardware (--target crossbar | fpga). */
function addCompile(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const cmd = program
    .command("compile")
    .description("print a stage of the pipeline")
    .argument("<file>", ".glia file (or .nir: converted first)")
    .addOption(new Option("--emit <stage>", "ast | ir | ir-json | ir-after=PASS | ir-after=all | wat").default("ir"))
    .option(
      "--target <name>",
      `emit target: ${targetNames("compile").join(" | ")} (fixed: --emit ir prints the fixed-point IR and the quantization report; crossbar | fpga: map onto hardware (--hw, -o))`,
    )
    .option("--hw <spec>", `fixed, crossbar, fpga targets: hardware preset (${PRESETS.join(", ")}) or spec .json`)
    .option("-o, --out <file>", "crossbar/fpga targets: write the hardware descriptor (JSON) here")
    .option("--verify", "run the IR verifier after build and after every pass (a failure is error E0701)", false)
    .option(NEURONS_PER_CORE, NEURONS_PER_CORE_HELP)
    .option(
      "--allow-approximate-cores",
      "crossbar/fpga targets: map a model the preset's cores do not implement natively as an approximation",
      false,
    )
    .option(ALLOW_PATH, ALLOW_PATH_HELP, collect, []);
  addNirOptions(cmd).action(
    async (
      file: string,
      opts: {
        emit: string;
        target?: string;
        hw?: string;
        out?: string;
        verify: boolean;
        neuronsPerCore?: string;
        allowApproximateCores: boolean;
        allowPath: string[];
      } & NirFlags,
      c: Command,
    ) => {
      const emitGiven = c.getOptionValueSource("emit") !== "default";
      const at = await nirAware(file, allowing(io, opts.allowPath), opts);
      if (!at) return setCode(EXIT.diagnostics);
      setCode(
        await compileCommand(
          at.file,
          {
            emit: opts.emit,
            emitGiven,
            target: opts.target,
            hw: opts.hw,
            out: opts.out,
            verify: opts.verify,
            neuronsPerCore: opts.neuronsPerCore !== undefined ? Number(opts.neuronsPerCore) : undefined,
            allowApproximateCores: opts.allowApproximateCores,
          },
          at.io,
        ),
      );
    },
  );
}

/** glia run FILE: compile and simulate a network, optionally against a second target (--compare). */
function addRun(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const cmd = program
    .command("run")
    .description("compile and simulate a network")
    .argument("<file>", ".glia file with a network (or .nir: converted first)")
    .addOption(
      new Option("--target <name>", "execution target").choices(targetNames("run")).default(DEFAULT_RUN_TARGET),
    )
    .option("--duration <time>", "biological time to simulate, e.g. 1s or 200ms (default: the model's run)")
    .option("--seed <n>", "random seed (default: the model's seed)")
    .option("--out <dir>", "write summary.json, spikes.csv, traces and raster.svg here")
    .option("--json", "print one JSON object instead of text (on failure: an error object)", false)
    .option("--window <from:to>", "also give rates over this time window, e.g. 200ms:1s (spike-monitored populations)")
    .option("--hw <spec>", `fixed target: hardware preset (${PRESETS.join(", ")}) or spec .json`)
    .option("--compare <target>", "also run this target (e.g. reference) and print the fidelity report")
    .option("--vp-q <per-ms>", "Victor-Purpura shift cost q in 1/ms for --compare (default 0.1)")
    .option("--vr-tau <ms>", "van Rossum time constant in ms for --compare (default 10)")
    .option(
      "--threads <n>",
      "wasm target: worker threads (default: all cores for networks of 16k neurons or more, else 1)",
    )
    .option(
      "--weight-bits <n>",
      "wasm targets: 16 stores per-synapse weights (parameters drawn per synapse) in 16 bits; warning W1015 gives the error",
    )
    .option("--verify", "run the IR verifier after build and after every pass (a failure is error E0701)", false)
    .addOption(numericGuardOption())
    .option(ALLOW_PATH, ALLOW_PATH_HELP, collect, []);
  addNirOptions(cmd).action(
    async (
      file: string,
      opts: NirFlags & {
        allowPath: string[];
        numericGuard: "error" | "warn" | "off";
        target: string;
        duration?: string;
        seed?: string;
        out?: string;
        json: boolean;
        window?: string;
        hw?: string;
        compare?: string;
        vpQ?: string;
        vrTau?: string;
        threads?: string;
        weightBits?: string;
        verify: boolean;
      },
    ) => {
      if (opts.weightBits !== undefined && !opts.target.startsWith("wasm"))
        throw new UsageError(`--weight-bits: only the wasm targets store weights in 16 bits, not ${opts.target}`);
      const at = await nirAware(file, allowing(io, opts.allowPath), opts);
      if (!at) return setCode(EXIT.diagnostics);
      setCode(
        await runCommand(
          at.file,
          {
            target: opts.target,
            duration: opts.duration !== undefined ? parseDuration(opts.duration) : undefined,
            seed: opts.seed !== undefined ? parseSeed(opts.seed) : undefined,
            out: opts.out,
            json: opts.json,
            hw: opts.hw,
            compare: opts.compare,
            vpQPerMs: opts.vpQ !== undefined ? parsePositive(opts.vpQ, "--vp-q") : undefined,
            vrTauMs: opts.vrTau !== undefined ? parsePositive(opts.vrTau, "--vr-tau") : undefined,
            threads: opts.threads !== undefined ? parseThreads(opts.threads) : undefined,
            weightBits: opts.weightBits !== undefined ? parseWeightBits(opts.weightBits) : undefined,
            verify: opts.verify,
            window: opts.window !== undefined ? parseWindow(opts.window) : undefined,
            numericGuard: numericGuardValue(opts.numericGuard),
          },
          at.io,
        ),
      );
    },
  );
}

/** glia bench [NAME]: benchmark CUBA/COBA on the wasm target (loaded on use). */
function addBench(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program
    .command("bench")
    .description("benchmark CUBA/COBA on the wasm target, against Brian2 when installed")
    .argument("[name]", "cuba | cuba10 | coba | cuba16k | cuba64k | all", "all")
    .option("--vs <peer>", "peer simulator: brian2 | none", "brian2")
    .option("--json", "print one JSON object per configuration", false)
    .option("--python <path>", "interpreter that can import brian2", "/usr/bin/python3")
    .option("--n <neurons>", "override the number of neurons")
    .option("--p <prob>", "override the connection probability")
    .option("--duration <time>", "override the simulated time, e.g. 1s or 200ms")
    .option("--results <dir>", "also write DIR/<date>.md with the tables and raw JSON")
    .option("--no-isolate", "run every configuration of 'all' in this process")
    .option("--weight-bits <n>", "glia rows: 16 stores per-synapse weights in 16 bits (as glia run --weight-bits)")
    .action(
      async (
        name: string,
        opts: {
          vs: string;
          json: boolean;
          python: string;
          n?: string;
          p?: string;
          duration?: string;
          results?: string;
          isolate: boolean;
          weightBits?: string;
        },
      ) => {
        const { benchCommand, parseBenchNumber } = await import("./commands/bench.js");
        setCode(
          await benchCommand(
            name,
            {
              vs: opts.vs,
              json: opts.json,
              python: opts.python,
              n: opts.n !== undefined ? parseBenchNumber(opts.n, "--n", true) : undefined,
              p: opts.p !== undefined ? parseBenchNumber(opts.p, "--p", false) : undefined,
              duration: opts.duration !== undefined ? parseDuration(opts.duration) : undefined,
              results: opts.results,
              isolate: opts.isolate,
              weightBits: opts.weightBits !== undefined ? parseWeightBits(opts.weightBits) : undefined,
            },
            io,
          ),
        );
      },
    );
}

/** `--numeric-guard error|warn|off` (run and emulate); numericGuardValue gives RunOptions.numericGuard. */
function numericGuardOption(): Option {
  return new Option(
    "--numeric-guard <mode>",
    "a state value turning infinite or NaN (E0806) or a fixed-point overflow (E0811): error | warn | off",
  )
    .choices(["error", "warn", "off"])
    .default("error");
}

const numericGuardValue = (mode: string): boolean | "warn" => (mode === "warn" ? "warn" : mode !== "off");
const NEURONS_PER_CORE = "--neurons-per-core <n>";
const NEURONS_PER_CORE_HELP =
  "digital specs: put exactly n neurons on each core instead of the automatic partition (fewest equal slices within a core's neurons, synapse memory and axons)";

/** glia emulate FILE: map onto hardware (or load a descriptor) and run the cycle-accurate emulator (loaded on use). */
function addEmulate(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const cmd = program
    .command("emulate")
    .description("map a model (or load a descriptor) onto hardware and run the cycle-accurate emulator")
    .argument("<file>", ".glia file, .nir file (converted first) or descriptor .json")
    .option(
      "--hw <preset>",
      `hardware preset (${PRESETS.join(", ")}) or spec .json (a descriptor .json runs on the spec it embeds)`,
    )
    .option("--duration <time>", "biological time to emulate, e.g. 1s (default: the model's run)")
    .option("--json", "print one JSON object instead of text", false)
    .option("--out <dir>", "write summary.json and report.html here")
    .option("--check", "run the fixed-point executor on the same descriptor; fail on the first differing spike", false)
    .addOption(numericGuardOption())
    .option(NEURONS_PER_CORE, NEURONS_PER_CORE_HELP)
    .option("--compare <target>", "also run the model on this target (e.g. reference) and print the fidelity report")
    .option(
      "--allow-approximate-cores",
      "run a model the preset's cores do not implement natively as an approximation (a warning names the borrowed costs)",
      false,
    )
    .option(ALLOW_PATH, ALLOW_PATH_HELP, collect, []);
  addNirOptions(cmd).action(
    async (
      file: string,
      opts: NirFlags & {
        hw?: string;
        duration?: string;
        json: boolean;
        out?: string;
        check: boolean;
        numericGuard: "error" | "warn" | "off";
        neuronsPerCore?: string;
        compare?: string;
        allowApproximateCores: boolean;
        allowPath: string[];
      },
    ) => {
      const { emulateCommand } = await import("./commands/emulate.js");
      const at = await nirAware(file, allowing(io, opts.allowPath), opts);
      if (!at) return setCode(EXIT.diagnostics);
      setCode(
        await emulateCommand(
          at.file,
          {
            hw: opts.hw,
            duration: opts.duration !== undefined ? parseDuration(opts.duration) : undefined,
            json: opts.json,
            out: opts.out,
            check: opts.check,
            numericGuard: numericGuardValue(opts.numericGuard),
            neuronsPerCore: opts.neuronsPerCore !== undefined ? Number(opts.neuronsPerCore) : undefined,
            compare: opts.compare,
            allowApproximateCores: opts.allowApproximateCores,
          },
          at.io,
        ),
      );
    },
  );
}

/** `file` as the command compiles it: a .nir file becomes its glia conversion, served by the returned io's host. */
async function nirAware(file: string, io: CliIo, flags: NirFlags): Promise<{ file: string; io: CliIo } | undefined> {
  const r = await resolveEntry(file, io, nirOptions(flags));
  return r && { file: r.entry, io: { ...io, host: r.host } };
}

/** glia import FILE.nir [-o model.glia]: a NIR model as glia source. */
function addImport(program: Command, io: CliIo, setCode: (code: number) => void): void {
  const cmd = program
    .command("import")
    .description("convert a NIR model (.nir, HDF5) into glia source")
    .argument("<file>", ".nir file")
    .option("-o, --out <file>", "write the glia source here (and its data files beside it); default: stdout")
    .option("--duration <time>", "the generated run statement (default 100ms)");
  addNirOptions(cmd).action(async (file: string, opts: NirFlags & { out?: string; duration?: string }) => {
    const { importCommand } = await import("./commands/import.js");
    const duration = opts.duration !== undefined ? parseDuration(opts.duration) : undefined;
    setCode(await importCommand(file, { ...nirOptions(opts), duration, out: opts.out }, io));
  });
}

/** glia export FILE --to ENGINE -o OUT: the model for another tool (the registry's `export` entries). */
function addExport(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program
    .command("export")
    .description(
      "write the model for another tool: a Brian2 or NEST script with glia's network, a NIR file, or a SANA-FE network and architecture",
    )
    .argument("<file>", ".glia file with a network")
    .addOption(new Option("--to <engine>", "engine").choices(targetNames("export")).makeOptionMandatory())
    .requiredOption(
      "-o, --out <path>",
      "output: a directory (brian2, nest: the script, README.md, data/; sanafe: network.yaml, arch.yaml, run.py) or the .nir file",
    )
    .option(
      "--hw <preset>",
      `sanafe: the hardware preset or spec .json placed on and written as arch.yaml (default loihi)`,
    )
    .option("--duration <time>", "sanafe: the run the input spike trains cover (default: the model's run)")
    .option(ALLOW_PATH, ALLOW_PATH_HELP, collect, [])
    .action(
      async (file: string, opts: { to: string; out: string; hw?: string; duration?: string; allowPath: string[] }) => {
        const { exportCommand } = await import("./commands/export.js");
        const duration = opts.duration !== undefined ? parseDuration(opts.duration) : undefined;
        setCode(
          await exportCommand(
            file,
            { to: opts.to, out: opts.out, hw: opts.hw, duration },
            allowing(io, opts.allowPath),
          ),
        );
      },
    );
}

/** Entry point for bin/glia.js: a compiler bug still ends in a clear message and a non-zero exit. */
export async function main(): Promise<void> {
  const io = { ...nodeIo(), interruptible: true };
  // a reader that went away (`glia compile m.glia | head`) ends the output quietly, not in an uncaught EPIPE
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") process.stderr.write(`glia: cannot write to stdout: ${e.code ?? e.message}\n`);
    process.exit(e.code === "EPIPE" ? (process.exitCode ?? 0) : 1);
  });
  // the same for diagnostics piped into a reader that stops early (`glia check m.glia 2>&1 | head`)
  process.stderr.on("error", (e: NodeJS.ErrnoException) => {
    process.exit(e.code === "EPIPE" ? (process.exitCode ?? 1) : 1);
  });
  let code: number;
  try {
    code = await runCli(process.argv.slice(2), io);
  } catch (e) {
    io.err(
      `glia: internal error: ${(e as Error).message}\nThis is a bug in glia; please report it with the input that caused it.\n`,
    );
    code = 70;
  }
  process.exitCode = code;
}
