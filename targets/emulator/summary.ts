// The emulation summary: what `glia emulate --json` prints and `--out DIR` writes as summary.json. In: an
// EmulationResult and the outcome of the spike check against the fixed-point descriptor runner (null when
// not checked); out: one flat JSON-ready object, keys in a fixed order (snake_case, SI units).

import type { EmulationResult } from "./engine.js";

export type EmulationSummary = ReturnType<typeof emulationSummary>;

/** Spikes and rate of every neuron population and source the emulator stepped (sizes by name). */
export function emulatedPopulations(
  result: EmulationResult,
  sizes: Record<string, number>,
): Record<string, { n: number; spikes: number; rate_hz: number }> {
  const T = result.steps * result.dt;
  return Object.fromEntries(
    Object.keys(sizes).map((name) => {
      const n = sizes[name]!,
        spikes = result.spikes[name]?.steps.length ?? 0;
      return [name, { n, spikes, rate_hz: T > 0 && n > 0 ? spikes / (n * T) : 0 }];
    }),
  );
}

export function emulationSummary(
  result: EmulationResult,
  bitExact: boolean | null,
  sizes: Record<string, number> = {},
) {
  return {
    network: result.network,
    preset: result.preset,
    kind: result.kind,
    dt: result.dt,
    steps: result.steps,
    clock_hz: result.clockHz,
    cycles: result.cycles,
    cycles_per_step_mean: result.steps ? result.cycles / result.steps : 0,
    cycles_per_step_max: result.cyclesPerStep.reduce((a, x) => Math.max(a, x), 0),
    latency_s: result.latency_s,
    latency_per_step_s: result.latency_per_step_s,
    real_time_factor: result.real_time_factor,
    throughput_sops: result.throughput_sops,
    energy_j: result.energy_j,
    energy_per_bio_second_j: result.energy_per_bio_second_j,
    energy_breakdown_j: result.energy_breakdown_j,
    power_w: result.power_w,
    energy_per_synaptic_event_j: result.energy_per_synaptic_event_j,
    energy_per_inference_j: result.energy_per_inference_j,
    neuron_updates: result.neuron_updates,
    neuron_updates_active: result.neuron_updates_active,
    synaptic_events: result.synaptic_events,
    learning_updates: result.learning_updates,
    astrocyte_updates: result.astrocyte_updates,
    astrocyte_events: result.astrocyte_events,
    adc_clips: result.adc_clips,
    spikes_total: result.spikes_total,
    populations: emulatedPopulations(result, sizes),
    hops: result.hops,
    hops_x: result.hops_x,
    hops_y: result.hops_y,
    packets: result.packets,
    mean_hops_per_packet: result.mean_hops_per_packet,
    chips: result.chips,
    chip_hops: result.chip_hops,
    host_packets: result.host_packets,
    placement: result.placement,
    core_utilization: result.core_utilization,
    contention_wait_cycles: result.contention_wait_cycles,
    broadcast_packets: result.broadcast_packets,
    broadcast_hops: result.broadcast_hops,
    broadcast_cycles_per_step: result.broadcast_cycles_per_step,
    pipeline_stall_cycles: result.pipeline_stall_cycles,
    bit_exact_vs_fixed: bitExact,
    uncharged: result.uncharged,
    /** What energy_j sums: the energy costs the spec cites (the others are charged 0, listed in uncharged). */
    energy_charged: result.energyCharged.filter((k) => !result.uncharged.includes(`energy.${k}`)),
    emulator_wall_s: result.wallS,
  };
}
