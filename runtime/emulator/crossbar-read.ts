// Timing of one crossbar tile read with shared ADCs. In: the tile's used columns, how many rows the
// step activates, the number of input pulses (DAC bits for bit-serial inputs, else 1) and the read/ADC
// timing; out: cycles, ADC conversions, DAC conversions and cell reads.
//
// Model: all activated rows are driven at once for each input pulse (one read of `readCycles`); then each
// ADC converts the used columns it serves one after another (`adcCycles` each); column c is served by
// ADC floor(c / columnsPerAdc). Pulses are serialized. A tile with no activated row is not read.

export interface CrossbarTiming {
  readCycles: number;
  adcCycles: number;
  columnsPerAdc: number;
}

export interface TileRead {
  cycles: number;
  adcConversions: number;
  dacConversions: number;
  /** Cells read: activated rows x used columns x pulses. */
  cellReads: number;
  /** Row activations: activated rows x pulses. */
  rowReads: number;
}

/** Conversions the busiest ADC makes per pulse for a tile whose used columns are `usedCols` (ascending or not). */
export function busiestAdc(usedCols: ArrayLike<number>, columnsPerAdc: number): number {
  const per = new Map<number, number>();
  let most = 0;
  for (let i = 0; i < usedCols.length; i++) {
    const a = Math.floor(usedCols[i]! / columnsPerAdc);
    const n = (per.get(a) ?? 0) + 1;
    per.set(a, n);
    if (n > most) most = n;
  }
  return most;
}

/** One tile read, given the busiest ADC's conversions per pulse (precomputed with busiestAdc). */
export function tileRead(activeRows: number, usedColumns: number, busiest: number, pulses: number, t: CrossbarTiming): TileRead {
  if (activeRows <= 0 || usedColumns <= 0) return { cycles: 0, adcConversions: 0, dacConversions: 0, cellReads: 0, rowReads: 0 };
  return {
    cycles: pulses * (t.readCycles + busiest * t.adcCycles),
    adcConversions: pulses * usedColumns,
    dacConversions: pulses * activeRows,
    cellReads: pulses * activeRows * usedColumns,
    rowReads: pulses * activeRows,
  };
}
