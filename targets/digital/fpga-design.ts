// glia's FPGA neuron-core design parameters: what the mapper uses when an FPGA spec leaves a field out.
// In: nothing; out: constants. These are properties of the core design glia maps to (how many neurons one
// pipeline time-multiplexes, how many block RAMs a core owns), not measured device figures; the block RAM
// geometry is the Xilinx UltraScale RAMB36E2 primitive.

export const FPGA_DESIGN = {
  /** Neurons time-multiplexed on one update pipeline (one neuron per clock when the pipeline is full). */
  neuronsPerCore: 1024,
  /** Pipeline stages of the neuron update: state fetch, decay multiply, input add, threshold/reset + write-back. */
  pipelineDepth: 4,
  /** RAMB36E2: 36 Kib per block, up to 72 bits wide (Xilinx UG573, UltraScale Architecture Memory Resources). */
  bramBits: 36 * 1024,
  bramWidthBits: 72,
  /** Block RAMs per core for synapse memory. */
  bramsPerCore: 64,
} as const;
