// Shared state of one checker run: the program, the diagnostics list, the model table and, for the
// network, its populations, sources and projections. In: a Program; out: contexts the rules read.

import type { Program, ModelDef, NetworkDef, NetItem } from "../syntax/ast.js";
import type { Diagnostics } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { ProgramInfo } from "./model-env.js";

export interface CheckContext {
  program: Program;
  data: ReadonlyMap<string, string>;
  diags: Diagnostics;
  info: ProgramInfo;
}

export type ConnectItem = Extract<NetItem, { kind: "Connect" }>;

/** A population (neuron or astrocyte model) or an input source. size: its constant size, if valid. */
export interface PopInfo {
  name: string;
  nameSpan: Span;
  source: boolean;
  /** The model of a population (undefined for sources and for unknown models). */
  model?: ModelDef;
  size?: number;
}

export interface NetContext {
  ctx: CheckContext;
  network: NetworkDef;
  /** Populations and input sources by name (first declaration wins). */
  pops: Map<string, PopInfo>;
  /** Named projections. */
  projections: Map<string, ConnectItem>;
  /** Network dt in seconds (0.1 ms when not given or invalid). */
  dt: number;
  /** Projection -> the astrocyte population ensheathing it (first ensheath wins). */
  ensheathed: Map<string, string>;
}
