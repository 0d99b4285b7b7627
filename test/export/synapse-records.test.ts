// Synapse records in exported scripts, in process (no Python): neither the Brian2 nor the NEST script records a
// synapse's state every period, so `record w of PROJ every T` gets W1016 at the record (NEST: the end state only,
// synapses_final.csv), and the export still succeeds.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";

const FILE = "test/fixtures/nest/stdp_weights.glia";

describe("glia export: synapse records (W1016)", () => {
  test.each([
    ["nest", "the nest script does not record plastic.w every 5000 steps: it writes the state once, at the end"],
    ["brian2", "the brian2 script does not record plastic.w every 5000 steps"],
  ])("--to %s warns at the record and exports", async (engine, message) => {
    const io = captureIo();
    expect(await runCli(["export", FILE, "--to", engine, "-o", "out"], io)).toBe(0);
    const w = io.stderr.split("\n").filter((l) => l.includes("[W1016]"));
    expect(w).toEqual([`${FILE}:21:3: warning[W1016]: ${message}${engine === "nest" ? " (synapses_final.csv)" : ""}`]);
    expect(io.files.has("out/run.py")).toBe(true);
  });
});
