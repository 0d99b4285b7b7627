// NIR file -> glia source. In: the file's bytes, its name, lowering options (convention, dt, duration, input
// spikes); out: the glia text and its data files (compiler/nir/lower.ts), or diagnostics: E0608 when the bytes
// are not a NIR file, E0809/E0810 from the graph checks and the lowering. Used by `glia import` and by the
// driver's .nir entry (targets/driver/nir-entry.ts).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { Diagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { fileSpan, flattenNir } from "../../compiler/nir/flatten.js";
import { lowerNir, type LowerOptions } from "../../compiler/nir/lower.js";
import { loadHdf5, readNir } from "./hdf5.js";

export interface Imported {
  text?: string;
  data: Map<string, string>;
  diagnostics: Diagnostic[];
}

export async function importNir(bytes: Uint8Array, file: string, options: LowerOptions = {}): Promise<Imported> {
  await loadHdf5();
  const read = readNir(bytes);
  if ("error" in read) {
    const d = new Diagnostics();
    d.error("E0608", fileSpan(file), `cannot read NIR file '${file}': ${read.error}`, {
      hint: "a NIR file is HDF5 as written by nir.write (Python) or glia export --to nir",
    });
    return { data: new Map(), diagnostics: d.items };
  }
  const flat = flattenNir(read.file, file);
  if (!flat.graph) return { data: new Map(), diagnostics: flat.diagnostics.items };
  const lowered = lowerNir(flat.graph, file, options);
  return {
    text: lowered.text,
    data: lowered.data,
    diagnostics: [...flat.diagnostics.items, ...lowered.diagnostics.items],
  };
}
