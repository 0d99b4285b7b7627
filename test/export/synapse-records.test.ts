// Synapse records in exported scripts, in process (no Python): `record VAR of PROJ every T` becomes SYNAPSE_RECORDS in
// run.py (targets/export/synapse-records.ts): Brian2 a StateMonitor on the Synapses, NEST the NESTML synapse's
// connections read between chunks of the run; a parameter from glia's own values. W1016 (at the record) stays for
// what the engine does not hold (a static_synapse's state); a NESTML post trace (apost) is the synapse's own (run.py
// keeps every synapse variable in the synapse: NESTML's strictly_synaptic_vars). A synapse
// number past the projection is E0521 at the record, as on glia's targets.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";

const FILE = "test/fixtures/nest/stdp_weights.glia";
const TEXT = fs.readFileSync(FILE, "utf8");

/** The fixture with its record statement replaced. */
const withRecord = (record: string): Record<string, string> => ({
  "m.glia": TEXT.replace("record w of plastic every 500 ms", record),
});

async function exportTo(engine: string, files?: Record<string, string>): Promise<ReturnType<typeof captureIo>> {
  const io = captureIo(files);
  await runCli(["export", files ? "m.glia" : FILE, "--to", engine, "-o", "out"], io);
  return io;
}

describe("glia export: synapse records", () => {
  test.each(["brian2", "nest"])(
    "--to %s writes `record w of plastic every 500 ms` without a warning",
    async (engine) => {
      const io = await exportTo(engine);
      expect(io.stderr).not.toContain("W1016");
      const script = io.files.get("out/run.py")!;
      expect(script).toContain(
        engine === "brian2"
          ? `SYNAPSE_RECORDS = [("plastic", "w", range(0, 200), 5000, None, "", ("w", 1))]`
          : `SYNAPSE_RECORDS = [("plastic", "w", range(0, 200), 5000, None, "", ("glia_plastic_synapse__with_glia_post_cell_neuron", "afferents", "post_cell", "w"))]`,
      );
      expect(script).toContain(`SYNAPSE_HEADER = "projection,variable,synapse,pre,post,step,time_s,value"`);
      if (engine === "brian2") expect(script).toContain(`b2.StateMonitor(syns[proj], name_unit[0], record=list(sel)`);
      else expect(script).toContain("syn_values = run_recording(nodes, steps)");
    },
  );

  test("an index list and a parameter: the list as written, the parameter from glia's value", async () => {
    const io = await exportTo("brian2", withRecord("record w of plastic[3, 17]\n  record w_max of plastic[0:2]"));
    expect(io.stderr).toBe("");
    const script = io.files.get("out/run.py")!;
    expect(script).toContain(`("plastic", "w", [3, 17], 1, None, "", ("w", 1))`);
    expect(script).toContain(`("plastic", "w_max", range(0, 2), 1, 1, "", None)`);
  });

  test("NEST: the NESTML post trace apost is the synapse's own, recorded without W1016", async () => {
    const io = await exportTo("nest", withRecord("record apost of plastic every 500 ms"));
    expect(io.stderr).toBe("");
    const script = io.files.get("out/run.py")!;
    expect(script).toContain(
      `SYNAPSE_RECORDS = [("plastic", "apost", range(0, 200), 5000, None, "", ("glia_plastic_synapse__with_glia_post_cell_neuron", "afferents", "post_cell", "apost"))]`,
    );
    // NESTML would move a variable only \`on post\` assigns into the neuron: run.py names them all synapse variables
    expect(script).toContain(`"state": {"glia_plastic_synapse":["w","apre","apost","glia_last"]}`);
    expect(script).toContain(`"strictly_synaptic_vars": NESTML["state"]`);
  });

  test("a synapse number past the projection is E0521 at the record", async () => {
    for (const engine of ["brian2", "nest"]) {
      const io = await exportTo(engine, withRecord("record w of plastic[0:300]"));
      expect(io.stderr.split("\n")[0]).toBe(
        "m.glia:21:3: error[E0521]: record w of plastic: slice [0:300] is out of range, but the projection has 200 synapses",
      );
      expect(io.files.size).toBe(0);
    }
  });
});
