// Validation of hardware descriptors: the JSON Schema (ajv, schema-*.json) and then the cross-field rules a
// schema cannot state (consistency.ts: programs, the embedded IR, routing, periphery; here: array lengths,
// indices in range, levels below the level count, cell weights equal to the synapse table). In: a parsed JSON value (or JSON text); out: the typed descriptor, or messages of the
// form "PATH: what is wrong" (every problem found, schema problems first).

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AjvModule, { type ValidateFunction } from "ajv";
import { describeError } from "../hw/spec.js";
import { loadStandalone, schemaHash } from "../hw/standalone.js";
import { checkFormat, rawMax, rawMin, widthOf, type QFormat } from "../fixed/qformat.js";
import { checkConsistency } from "./consistency.js";
import { specHash } from "./spec-hash.js";
import { modulatorReads } from "./modulators.js";
import {
  DESCRIPTOR_VERSION,
  type CrossbarDescriptor,
  type Descriptor,
  type DigitalDescriptor,
  type SynapseMemory,
  type SynapseTable,
} from "./types.js";

// ajv is CommonJS: its default export arrives as the module object under NodeNext
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ??
  AjvModule) as unknown as typeof AjvModule.default;

/** The schemas directory: next to this file in the sources, or the sources' copy when running from dist/. */
function schemaDir(): string {
  const here = new URL("./", import.meta.url);
  if (existsSync(fileURLToPath(new URL("./schema-common.json", here)))) return fileURLToPath(here);
  return fileURLToPath(new URL("../../../targets/descriptor/", import.meta.url));
}

export function descriptorSchema(name: "common" | "crossbar" | "digital"): Record<string, unknown> {
  return JSON.parse(readFileSync(`${schemaDir()}schema-${name}.json`, "utf8")) as Record<string, unknown>;
}

type Kind = "crossbar" | "digital";
/** ajv's options for the descriptor schemas. */
const DESCRIPTOR_AJV_OPTIONS = { allErrors: true, strict: false } as const;
/** The file the build writes the descriptor validators to, next to this module's compiled file (hw/standalone.ts). */
export const DESCRIPTOR_VALIDATORS_FILE = "descriptor-validators.cjs";
let schemas: Record<"common" | Kind, Record<string, unknown>> | null = null;
const kindSchemas = (): Record<"common" | Kind, Record<string, unknown>> =>
  (schemas ??= {
    common: descriptorSchema("common"),
    crossbar: descriptorSchema("crossbar"),
    digital: descriptorSchema("digital"),
  });
/** Hash of the descriptor schemas and options: a generated file made from others is not used. */
export const descriptorSchemaHash = (): string => schemaHash(kindSchemas(), DESCRIPTOR_AJV_OPTIONS);

/** An ajv instance holding the descriptor schemas (compiled on first use of each); `source` keeps the code for
 *  standalone output. The validator of kind K is the schema with id DESCRIPTOR_SCHEMA_IDS[K]. */
export function descriptorAjv(source = false): InstanceType<typeof Ajv> {
  const s = kindSchemas();
  return new Ajv({ ...DESCRIPTOR_AJV_OPTIONS, code: { source }, schemas: [s.common, s.crossbar, s.digital] });
}
export const descriptorSchemaId = (kind: Kind): string => String(kindSchemas()[kind].$id);

const validators: Partial<Record<Kind, ValidateFunction>> = {};
let ajv: InstanceType<typeof Ajv> | null = null;
let generatedTried = false;
/** The kind's validator: the build's generated one when present and current, else compiled (only the kind asked
 *  for, once per process). `compiled`: always compile. */
export function descriptorValidator(kind: Kind, compiled = false): ValidateFunction {
  if (compiled) return descriptorAjv().getSchema(descriptorSchemaId(kind))!;
  if (!generatedTried) {
    generatedTried = true;
    const g = loadStandalone(import.meta.url, DESCRIPTOR_VALIDATORS_FILE, descriptorSchemaHash(), [
      "crossbar",
      "digital",
    ]);
    Object.assign(validators, g ?? {});
  }
  let v = validators[kind];
  if (!v) {
    ajv ??= descriptorAjv();
    v = validators[kind] = ajv.getSchema(descriptorSchemaId(kind))!;
  }
  return v;
}

export type ValidateResult = { ok: true; descriptor: Descriptor } | { ok: false; errors: string[] };

/** Validates JSON text or an already parsed value. */
export function validateDescriptor(input: unknown): ValidateResult {
  let data: unknown = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [`not valid JSON (${(e as Error).message})`] };
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return { ok: false, errors: ["(top level): expected an object"] };
  const d = data as Record<string, unknown>;
  if (!("glia_descriptor" in d))
    return { ok: false, errors: ['(top level): missing field "glia_descriptor" (not a glia descriptor)'] };
  if (d.glia_descriptor !== DESCRIPTOR_VERSION)
    return {
      ok: false,
      errors: [
        `/glia_descriptor: version ${JSON.stringify(d.glia_descriptor)} is not supported (expected ${DESCRIPTOR_VERSION})`,
      ],
    };
  if (d.kind !== "crossbar" && d.kind !== "digital")
    return { ok: false, errors: ['/kind: expected "crossbar" or "digital"'] };
  const validate = descriptorValidator(d.kind);
  if (!validate(data)) {
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const e of validate.errors ?? []) {
      if (e.keyword === "allOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
      const m = describeError(e);
      if (!seen.has(m)) {
        errors.push(m);
        seen.add(m);
      }
      if (errors.length >= 20) break;
    }
    return { ok: false, errors };
  }
  const desc = data as Descriptor;
  const errors = checkSemantics(desc);
  return errors.length ? { ok: false, errors } : { ok: true, descriptor: desc };
}

/** Cross-field rules; returns the problems found (at most `limit`). */
export function checkSemantics(d: Descriptor, limit = 20): string[] {
  const errs: string[] = [];
  const err = (m: string): boolean => (errs.push(m), errs.length >= limit);
  if ((d.spec === undefined) !== (d.specHash === undefined)) err("/spec, /specHash: a descriptor has both or neither");
  else if (d.spec && d.specHash !== specHash(d.spec))
    err(`/specHash: ${d.specHash} is not the hash of the embedded spec (${specHash(d.spec)}): the spec was edited`);
  else if (d.spec && d.spec.name !== d.preset)
    err(`/spec/name: ${d.spec.name} is not the descriptor's preset ${d.preset}`);
  const inFormat = (path: string, xs: readonly number[], f: QFormat): boolean => {
    const lo = rawMin(f),
      hi = rawMax(f);
    for (let i = 0; i < xs.length; i++)
      if (xs[i]! < lo || xs[i]! > hi)
        return err(`${path}/${i}: raw word ${xs[i]} is outside its format's range [${lo}, ${hi}]`);
    return false;
  };
  for (const [k, f] of Object.entries(d.formats)) {
    const bad = checkFormat(f);
    if (bad && err(`/formats/${k}: ${bad}`)) return errs;
  }
  const sizes = new Map<string, number>();
  d.neurons.forEach((g, gi) => {
    sizes.set(g.population, g.size);
    const fmt = new Map(g.vars.map((v) => [v.name, v.fmt]));
    for (const [name, xs] of Object.entries(g.initial)) {
      const p = `/neurons/${gi}/initial/${name}`;
      const f = fmt.get(name);
      if (!f) {
        err(`${p}: ${g.population} has no variable ${name}`);
        continue;
      }
      if (xs.length !== g.size) {
        err(`${p}: ${xs.length} values for ${g.size} neurons`);
        continue;
      }
      inFormat(p, xs, f);
    }
  });
  const prog = d.ir.program as { sources?: { name: string; size: number }[] };
  for (const s of Array.isArray(prog.sources) ? prog.sources : []) sizes.set(s.name, s.size);
  checkConsistency(d, sizes, err);
  if (errs.length) return errs; // the tables below index by what these checks vouch for
  const tables = new Map<string, SynapseTable>();
  d.projections.forEach((t, pi) => {
    tables.set(t.projection, t);
    const p = `/projections/${pi}`;
    for (const side of ["pre", "post"] as const) {
      const sl = t[side];
      const n = sizes.get(sl.population);
      if (n === undefined) err(`${p}/${side}: unknown population ${sl.population}`);
      else if (sl.start > sl.end || sl.end > n)
        err(`${p}/${side}: slice [${sl.start}, ${sl.end}) is outside ${sl.population} (size ${n})`);
    }
    for (const [name, xs] of [
      ["preIndex", t.preIndex],
      ["postIndex", t.postIndex],
      ["delay", t.delay],
    ] as const) {
      if (xs.length !== t.n) err(`${p}/${name}: ${xs.length} entries for n = ${t.n} synapses`);
    }
    for (let s = 0; s < t.preIndex.length; s++) {
      const i = t.preIndex[s]!,
        j = t.postIndex[s] ?? t.post.start;
      if (i < t.pre.start || i >= t.pre.end) {
        err(`${p}/preIndex/${s}: element ${i} is outside the pre slice [${t.pre.start}, ${t.pre.end})`);
        break;
      }
      if (j < t.post.start || j >= t.post.end) {
        err(`${p}/postIndex/${s}: element ${j} is outside the post slice [${t.post.start}, ${t.post.end})`);
        break;
      }
    }
    const fmt = new Map(t.vars.map((v) => [v.name, v.fmt]));
    if (!fmt.has(t.weightVar)) err(`${p}/weightVar: ${t.projection} has no variable ${t.weightVar}`);
    if (!(t.weightVar in t.raw) && !(t.weightVar in t.scalars))
      err(`${p}/raw: no words for the weight variable ${t.weightVar}`);
    for (const [name, xs] of Object.entries(t.raw)) {
      const f = fmt.get(name);
      if (!f) {
        err(`${p}/raw/${name}: ${t.projection} has no variable ${name}`);
        continue;
      }
      if (xs.length !== t.n) {
        err(`${p}/raw/${name}: ${xs.length} words for n = ${t.n} synapses`);
        continue;
      }
      inFormat(`${p}/raw/${name}`, xs, f);
    }
  });
  if (errs.length >= limit) return errs;
  checkModulators(d, err);
  if (errs.length >= limit) return errs;
  const units = d.kind === "crossbar" ? d.tiles.length : d.cores.length;
  if (units > d.mesh.x * d.mesh.y * (d.kind === "digital" ? (d.coresPerTile ?? 1) : 1))
    err(`/mesh: ${units} ${d.kind === "crossbar" ? "tiles" : "cores"} do not fit a ${d.mesh.x}x${d.mesh.y} mesh`);
  if (d.kind === "digital" && d.chips) {
    const c = d.chips;
    if (c.count > c.x * c.y) err(`/chips: ${c.count} chips do not fit a ${c.x}x${c.y} grid`);
    if (d.mesh.x !== c.x * c.tilesX || d.mesh.y !== c.y * c.tilesY)
      err(`/chips: a ${c.x}x${c.y} grid of ${c.tilesX}x${c.tilesY}-tile chips is not the ${d.mesh.x}x${d.mesh.y} mesh`);
  }
  if (d.kind === "crossbar") checkCrossbar(d, tables, err);
  else checkDigital(d, tables, sizes, err);
  return errs;
}

function checkCrossbar(d: CrossbarDescriptor, tables: Map<string, SynapseTable>, err: (m: string) => boolean): void {
  const levels = d.device.levels;
  if (levels < 2 ** d.device.bitsPerCell)
    if (
      err(
        `/device/levels: ${levels} levels for ${d.device.bitsPerCell} bits per cell (need at least ${2 ** d.device.bitsPerCell})`,
      )
    )
      return;
  if (!(d.device.gOn > d.device.gOff))
    if (err(`/device/gOn: ${d.device.gOn} S is not above gOff ${d.device.gOff} S`)) return;
  for (let ti = 0; ti < d.tiles.length; ti++) {
    const t = d.tiles[ti]!;
    const p = `/tiles/${ti}`;
    if (t.id !== ti && err(`${p}/id: ${t.id}, expected ${ti} (tiles are numbered in order)`)) return;
    if (
      (t.x !== ti % d.mesh.x || t.y !== Math.floor(ti / d.mesh.x)) &&
      err(`${p}: mesh position (${t.x}, ${t.y}) is not (${ti % d.mesh.x}, ${Math.floor(ti / d.mesh.x)})`)
    )
      return;
    if (
      t.rowInputs.length > t.rows &&
      err(`${p}/rowInputs: ${t.rowInputs.length} rows used on a tile of ${t.rows} rows`)
    )
      return;
    if (
      t.rowDelays.length !== t.rowInputs.length &&
      err(`${p}/rowDelays: ${t.rowDelays.length} delays for ${t.rowInputs.length} rows`)
    )
      return;
    const maxPairs = Math.floor(t.cols / 2);
    if (
      t.pairs.length > maxPairs &&
      err(`${p}/pairs: ${t.pairs.length} column pairs on a tile of ${t.cols} columns (at most ${maxPairs})`)
    )
      return;
    const used = new Set<number>();
    for (let c = 0; c < t.cells.length; c++) {
      const cell = t.cells[c]!;
      const q = `${p}/cells/${c}`;
      if (cell.row >= t.rowInputs.length) {
        if (err(`${q}/row: row ${cell.row} is not a used row (${t.rowInputs.length} used)`)) return;
        continue;
      }
      if (cell.pair >= t.pairs.length) {
        if (err(`${q}/pair: pair ${cell.pair} is not a used column pair (${t.pairs.length} used)`)) return;
        continue;
      }
      for (const side of ["gPlus", "gMinus"] as const) {
        if (
          cell[side] >= levels &&
          err(`${q}/${side}: level ${cell[side]} is out of range (the device has ${levels} levels, 0..${levels - 1})`)
        )
          return;
      }
      const key = cell.row * t.cols + cell.pair;
      if (used.has(key) && err(`${q}: cell (row ${cell.row}, pair ${cell.pair}) is programmed twice`)) return;
      used.add(key);
      const col = t.pairs[cell.pair]!;
      const tab = tables.get(col.projection);
      if (!tab) {
        if (err(`${q}: column pair ${cell.pair} names unknown projection ${col.projection}`)) return;
        continue;
      }
      if (cell.synapse >= tab.n) {
        if (err(`${q}/synapse: synapse ${cell.synapse} is outside ${col.projection} (n = ${tab.n})`)) return;
        continue;
      }
      if (tab.preIndex[cell.synapse] !== t.rowInputs[cell.row] || tab.postIndex[cell.synapse] !== col.index) {
        if (
          err(
            `${q}: synapse ${cell.synapse} of ${col.projection} connects ${tab.preIndex[cell.synapse]} -> ${tab.postIndex[cell.synapse]}, but the cell joins row input ${t.rowInputs[cell.row]} and column neuron ${col.index}`,
          )
        )
          return;
      }
      const w = tab.raw[tab.weightVar]?.[cell.synapse] ?? tab.scalars[tab.weightVar];
      if (
        w !== cell.weight &&
        err(
          `${q}/weight: ${cell.weight}, but the synapse table holds ${w} for synapse ${cell.synapse} of ${col.projection}`,
        )
      )
        return;
    }
  }
}

function checkDigital(
  d: DigitalDescriptor,
  tables: Map<string, SynapseTable>,
  sizes: Map<string, number>,
  err: (m: string) => boolean,
): void {
  const tileAt = new Map<number, string>();
  const tileOfPosition = new Map<string, number>();
  for (let ci = 0; ci < d.cores.length; ci++) {
    const c = d.cores[ci]!;
    const p = `/cores/${ci}`;
    if (c.id !== ci && err(`${p}/id: ${c.id}, expected ${ci} (cores are numbered in order)`)) return;
    // tiles may sit anywhere on the mesh (the mapper places them as a block), but a tile has one position,
    // each position at most one tile, and cores c and c' share a tile iff floor(c / coresPerTile) agrees
    const tile = Math.floor(ci / (d.coresPerTile ?? 1));
    const key = `${c.x},${c.y}`;
    if (
      (!Number.isInteger(c.x) || !Number.isInteger(c.y) || c.x < 0 || c.y < 0 || c.x >= d.mesh.x || c.y >= d.mesh.y) &&
      err(`${p}: mesh position (${c.x}, ${c.y}) is outside the ${d.mesh.x}x${d.mesh.y} mesh`)
    )
      return;
    const placed = tileAt.get(tile);
    if (
      placed !== undefined &&
      placed !== key &&
      err(`${p}: mesh position (${c.x}, ${c.y}) differs from its tile's (${placed})`)
    )
      return;
    const holder = tileOfPosition.get(key);
    if (
      holder !== undefined &&
      holder !== tile &&
      err(`${p}: mesh position (${c.x}, ${c.y}) is tile ${holder}'s already`)
    )
      return;
    tileAt.set(tile, key);
    tileOfPosition.set(key, tile);
    const n = c.end - c.start;
    const size = sizes.get(c.population);
    if (size === undefined || c.start > c.end || c.end > size) {
      if (
        err(
          `${p}: neurons [${c.start}, ${c.end}) are not a slice of ${c.population}${size === undefined ? " (unknown population)" : ` (size ${size})`}`,
        )
      )
        return;
      continue;
    }
    if (n > d.neuronsPerCore && err(`${p}: ${n} neurons on a core of ${d.neuronsPerCore}`)) return;
    for (const [name, xs] of Object.entries(c.state))
      if (xs.length !== n && err(`${p}/state/${name}: ${xs.length} words for ${n} neurons`)) return;
    c.synapses.forEach((m, mi) => {
      const q = `${p}/synapses/${mi}`;
      const tab = tables.get(m.projection);
      if (!tab) return void err(`${q}: unknown projection ${m.projection}`);
      if (m.axonStart.length !== m.axons.length + 1)
        return void err(
          `${q}/axonStart: ${m.axonStart.length} entries for ${m.axons.length} axons (expected ${m.axons.length + 1})`,
        );
      const E = m.target.length;
      if (m.axonStart[m.axons.length] !== E)
        return void err(`${q}/axonStart: ends at ${m.axonStart[m.axons.length]}, but there are ${E} entries`);
      for (const [name, xs] of [
        ["delay", m.delay],
        ["weight", m.weight],
        ["synapse", m.synapse],
      ] as const)
        if (xs.length !== E) return void err(`${q}/${name}: ${xs.length} entries, expected ${E}`);
      for (let a = 0; a < m.axons.length; a++) {
        if (m.axonStart[a]! > m.axonStart[a + 1]!) return void err(`${q}/axonStart/${a}: not ascending`);
        for (let e = m.axonStart[a]!; e < m.axonStart[a + 1]!; e++) {
          const s = m.synapse[e]!;
          if (m.target[e]! >= n)
            return void err(`${q}/target/${e}: local neuron ${m.target[e]} on a core of ${n} neurons`);
          if (s >= tab.n) return void err(`${q}/synapse/${e}: synapse ${s} is outside ${m.projection} (n = ${tab.n})`);
          if (tab.preIndex[s] !== m.axons[a] || tab.postIndex[s] !== c.start + m.target[e]!)
            return void err(
              `${q}/synapse/${e}: synapse ${s} connects ${tab.preIndex[s]} -> ${tab.postIndex[s]}, not axon ${m.axons[a]} -> neuron ${c.start + m.target[e]!}`,
            );
          const w = tab.raw[tab.weightVar]?.[s] ?? tab.scalars[tab.weightVar];
          if (w !== m.weight[e])
            return void err(`${q}/weight/${e}: ${m.weight[e]}, but the synapse table holds ${w} for synapse ${s}`);
          if (tab.delay[s] !== m.delay[e])
            return void err(`${q}/delay/${e}: ${m.delay[e]}, but the synapse table holds ${tab.delay[s]}`);
        }
      }
      checkAstrocyteField(q, m, tab, sizes, err);
      if (m.astrocyte && !c.stages.includes("astrocyte"))
        err(
          `${p}/stages: the core holds synapses ensheathed by ${tab.astro?.population ?? "astrocytes"} (${m.projection}) but has no "astrocyte" stage`,
        );
    });
    if (d.axonsPerCore !== null) {
      const axons = c.synapses.reduce((a, m) => a + m.axons.length, 0);
      if (axons > d.axonsPerCore && err(`${p}: ${axons} input axons on a core of ${d.axonsPerCore}`)) return;
    }
    if (
      d.memoryBitsPerCore !== null &&
      c.synapseBits > d.memoryBitsPerCore &&
      err(`${p}/synapseBits: ${c.synapseBits} bits of synapse memory on a core of ${d.memoryBitsPerCore}`)
    )
      return;
  }
}

/** The astrocyte field of a synapse memory: present exactly for ensheathed projections, one index per entry,
 *  each an element of the astrocyte population that fits the field's width. */
function checkAstrocyteField(
  q: string,
  m: SynapseMemory,
  tab: SynapseTable,
  sizes: Map<string, number>,
  err: (m: string) => boolean,
): void {
  const a = m.astrocyte;
  if (!tab.astro) {
    if (a) err(`${q}/astrocyte: ${m.projection} is not ensheathed, but its synapse memory holds an astrocyte map`);
    return;
  }
  if (!a)
    return void err(
      `${q}/astrocyte: ${m.projection} is ensheathed by ${tab.astro.population}, but its synapse memory holds no astrocyte map`,
    );
  const E = m.target.length;
  if (a.index.length !== E) return void err(`${q}/astrocyte/index: ${a.index.length} entries, expected ${E}`);
  const nA = sizes.get(tab.astro.population);
  if (nA === undefined)
    return void err(`/projections: ${m.projection} is ensheathed by unknown population ${tab.astro.population}`);
  for (let e = 0; e < E; e++) {
    const x = a.index[e]!;
    if (x >= nA)
      return void err(`${q}/astrocyte/index/${e}: astrocyte ${x} is outside ${tab.astro.population} (size ${nA})`);
    if (x >= 2 ** a.bits)
      return void err(`${q}/astrocyte/index/${e}: astrocyte ${x} does not fit the ${a.bits}-bit field`);
  }
}

/** Modulator words: one per modulator the embedded IR defines (same names, same order), each a valid format no
 *  wider than the datapath's state words, and every mod.NAME a program reads among them. */
function checkModulators(d: Descriptor, err: (m: string) => boolean): void {
  const defs = ((d.ir.program as { modulators?: { name: string }[] }).modulators ?? []).map((m) => m.name);
  const words = d.modulators;
  if (!words) {
    if (defs.length)
      err(
        `/modulators: missing, but the IR defines modulator(s) ${defs.join(", ")} (the controller needs their word formats)`,
      );
    return;
  }
  if (words.length !== defs.length)
    return void err(
      `/modulators: ${words.length} modulator word(s) (${words.map((m) => m.name).join(", ") || "none"}) for the IR's ${defs.length} (${defs.join(", ") || "none"})`,
    );
  for (let i = 0; i < words.length; i++) {
    const m = words[i]!,
      p = `/modulators/${i}`;
    if (m.name !== defs[i]) {
      if (err(`${p}/name: ${m.name}, but the IR's modulator ${i} is ${defs[i]}`)) return;
      continue;
    }
    const bad = checkFormat(m.fmt);
    if (bad) {
      if (err(`${p}/fmt: ${bad}`)) return;
      continue;
    }
    const width = widthOf(m.fmt);
    if (
      width > d.fixed.stateBits &&
      err(`${p}/fmt: a ${width}-bit word on a datapath of ${d.fixed.stateBits}-bit state words`)
    )
      return;
    if (!(m.range.lo <= m.range.hi) && err(`${p}/range: lo ${m.range.lo} is above hi ${m.range.hi}`)) return;
  }
  const known = new Set(words.map((m) => m.name));
  const owners: [string, unknown][] = [
    ...d.neurons.map((g, i): [string, unknown] => [`/neurons/${i}`, [g.update, g.threshold, g.reset]]),
    ...d.projections.map((t, i): [string, unknown] => [
      `/projections/${i}`,
      [t.onPre, t.onPost, t.continuous, t.astro],
    ]),
  ];
  for (const [p, prog] of owners)
    for (const name of modulatorReads(prog))
      if (!known.has(name) && err(`${p}: reads mod.${name}, which is no modulator of the descriptor`)) return;
}
