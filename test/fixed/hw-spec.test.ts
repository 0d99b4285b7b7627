// Hardware specs: every preset validates against its JSON Schema with every number cited; corrupted specs
// (missing fields, wrong types, out-of-range values, uncited numbers, bad JSON) give E0803 diagnostics that
// name the JSON path and what was expected.
import { describe, expect, it } from "@jest/globals";
import { loadPreset, PRESETS, presetText } from "../../targets/hw/presets.js";
import { loadHardwareSpec } from "../../targets/hw/spec.js";
import { fixedSpecFor } from "../../targets/fixed/hw-option.js";

/** Every object with a numeric `value` must carry source and table; returns the paths of numbers found. */
function citedNumbers(x: unknown, path = ""): string[] {
  if (typeof x === "number") throw new Error(`uncited number at ${path}`);
  if (typeof x !== "object" || x === null) return [];
  const o = x as Record<string, unknown>;
  if (typeof o.value === "number") {
    expect(typeof o.source).toBe("string");
    expect(typeof o.table).toBe("string");
    return [path];
  }
  return Object.entries(o).flatMap(([k, v]) => citedNumbers(v, `${path}/${k}`));
}

const messages = (text: string): string[] =>
  loadHardwareSpec(text, "bad.json").diagnostics.map((d) => `${d.code} ${d.message}`);
const reram = (): Record<string, any> => JSON.parse(presetText("reram-128"));
const loihi = (): Record<string, any> => JSON.parse(presetText("loihi"));

describe("hardware presets", () => {
  it.each(PRESETS)("%s validates and cites every number", (name) => {
    const out = loadPreset(name);
    expect(out.diagnostics).toEqual([]);
    expect(out.spec!.name).toBe(name);
    expect(citedNumbers(JSON.parse(presetText(name))).length).toBeGreaterThan(3);
  });

  it("gives the numbers of the anchors", () => {
    const l = loadPreset("loihi").spec!;
    expect(l.kind).toBe("digital");
    if (l.kind !== "digital") return;
    expect([l.neuronCores?.value, l.neuronsPerCore?.value, l.words.state.value]).toEqual([128, 1024, 24]);
    const r = loadPreset("reram-128").spec!;
    if (r.kind !== "crossbar") throw new Error("reram-128 is a crossbar");
    expect([r.tile.rows.value, r.adc.bits.value, r.adc.columnsPerAdc.value, r.cell.bitsPerCell.value]).toEqual([
      128, 5, 8, 2,
    ]);
    expect(1 / r.device.gOn.value).toBeCloseTo(6000, 6);
  });

  it("maps word widths to a fixed-point spec", () => {
    expect(fixedSpecFor(loadPreset("loihi").spec!)).toMatchObject({
      stateBits: 24,
      weightBits: 9,
      coefBits: 12,
      accBits: 32,
    });
    expect(fixedSpecFor(loadPreset("fpga-ultrascale").spec!)).toMatchObject({ stateBits: 16, weightBits: 8 });
  });

  it("reports an unknown preset", () => {
    expect(loadPreset("loihi3").diagnostics[0]!.hint).toMatch(/reram-128/);
  });
});

describe("corrupted specs", () => {
  it("missing fields", () => {
    const s = reram();
    delete s.adc.bits;
    delete s.tile;
    expect(messages(JSON.stringify(s))).toEqual([
      'E0803 bad.json: (top level): missing field "tile"',
      'E0803 bad.json: /adc: missing field "bits"',
    ]);
  });

  it("wrong types", () => {
    const s = reram();
    s.adc.bits.value = "5";
    s.cell.bitsPerCell.value = 2.5;
    const m = messages(JSON.stringify(s));
    expect(m).toContain("E0803 bad.json: /adc/bits/value: expected integer");
    expect(m).toContain("E0803 bad.json: /cell/bitsPerCell/value: expected integer");
  });

  it("out-of-range values", () => {
    const s = loihi();
    s.words.state.value = 40;
    s.neuronCores.value = 0;
    const m = messages(JSON.stringify(s));
    expect(m).toContain("E0803 bad.json: /words/state/value: expected a value <= 32");
    expect(m).toContain("E0803 bad.json: /neuronCores/value: expected a value >= 1");
    const r = reram();
    r.device.gOff.value = 1;
    expect(messages(JSON.stringify(r))).toEqual([
      "E0803 bad.json: /device/gOn: expected a value > /device/gOff/value (on conductance above off conductance)",
    ]);
  });

  it("numbers past any device (a unit mistake) are refused before they reach an energy report", () => {
    const s = loihi();
    s.emulator.energy.synapticOp.value = 1e308;
    s.emulator.latency.synapticOp.value = 5;
    s.emulator.timeQuantumHz.value = 1e300;
    const m = messages(JSON.stringify(s));
    expect(m).toContain("E0803 bad.json: /emulator/energy/synapticOp/value: expected a value <= 0.000001");
    expect(m).toContain("E0803 bad.json: /emulator/latency/synapticOp/value: expected a value <= 0.001");
    expect(m).toContain("E0803 bad.json: /emulator/timeQuantumHz/value: expected a value <= 1000000000000");
    const f = JSON.parse(presetText("fpga-ultrascale")) as Record<string, any>;
    f.clockHz.value = Infinity; // JSON.stringify writes null: a wrong type
    f.emulator.energy.staticPower = { value: 1e4, source: "a made-up figure", table: "none" };
    const mf = messages(JSON.stringify(f));
    expect(mf.some((x) => x.startsWith("E0803 bad.json: /clockHz/value:"))).toBe(true);
    expect(mf).toContain("E0803 bad.json: /emulator/energy/staticPower/value: expected a value <= 1000");
  });

  it("uncited numbers and unknown fields", () => {
    const s = reram();
    s.adc.bits = 5;
    s.adc.speed = { value: 1, source: "x", table: "y" };
    const m = messages(JSON.stringify(s));
    expect(m).toContain("E0803 bad.json: /adc/bits: expected object");
    expect(m).toContain('E0803 bad.json: /adc: unknown field "speed"');
    const t = loihi();
    delete t.neuronCores.source;
    expect(messages(JSON.stringify(t))).toEqual(['E0803 bad.json: /neuronCores: missing field "source"']);
  });

  it("bad JSON, wrong kind, wrong enum", () => {
    expect(messages("{ not json")[0]).toMatch(/^E0803 bad.json: not valid JSON/);
    expect(messages('{"kind": "optical"}')).toEqual(['E0803 bad.json: /kind: expected "crossbar" or "digital"']);
    const s = reram();
    s.input.encoding = "morse";
    expect(messages(JSON.stringify(s))).toEqual([
      'E0803 bad.json: /input/encoding: expected one of "spike", "bit-serial", "pwm", "amplitude"',
    ]);
  });
});
