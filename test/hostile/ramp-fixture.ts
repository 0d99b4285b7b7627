// The overflow fixture the numeric-guard tests share: three neurons whose v ramps at 1 mV/ms toward a threshold
// (1000 mV) it never reaches in 5 ms, so a fixed-point format profiled over a short run overflows when a longer
// run goes on. In: nothing; out: the model source.

export const RAMP = `neuron Ramp {
  parameters { drive: mV / ms = 1 mV / ms }
  state { v: mV = 0 mV }
  equations { v' = drive }
  spike when v > 1000 mV { v = 0 mV }
}
network Net {
  dt = 0.1 ms
  population n = Ramp[3]
  record spikes of n
  run 5 ms
}
`;
