// The hardware-refusal table: small .glia sources that check cleanly but cannot be mapped onto a preset
// (crossbar, digital cores) or lowered to fixed point, with the exact code and span of every error the
// mapping reports, the source text under the first one and its related notes. In: nothing; out: HW_CASES.

import { BASE } from "./cases.js";

export interface HardwareCase {
  name: string;
  source: string;
  /** How the network reaches the hardware: crossbar mapping, digital-core mapping (both quantize first). */
  map: "crossbar" | "digital";
  hw: string;
  /** Every error, sorted: `CODE line:col-endLine:endCol` (1-based, end inclusive). */
  errors: string[];
  /** The source text under the first error's span. */
  text: string;
  /** The first error's related notes: `line:col text-under-span`. */
  related: string[];
}

/** A network over BASE (lines 1-9: neuron LIF, synapse Static); `items` start on line 11. */
const network = (items: string, models = "") => `${BASE}${models}network N {
${items}
  run 5 ms
}
`;

const HEBB = `synapse Hebb {
  parameters { eta = 0.1 }
  state { w = 0.5 }
  on pre { post.target += w * 1 mV; w = clip(w + eta * 0.01, 0, 1) }
}
`;

const ASTRO = `astrocyte Astro {
  state { ca = 0 }
  equations { ca' = -ca / 1 s }
  on synapse_pre { ca += 0.1 }
}
`;

const OSC = `neuron Osc {
  parameters { tau: ms = 10 ms }
  state { v = 0.5 }
  equations { v' = (sin(v) - v) / tau }
  spike when v > 2 { v = 0 }
}
`;

const COS_SYN = `synapse Tuned {
  parameters { w: mV = 1 mV }
  on pre { post.target += w * cos(pre.v / 1 mV) }
}
`;

export const HW_CASES: HardwareCase[] = [
  {
    // CUBA's shape (exc -> exc, inh, all-to-all here): a TrueNorth core has 256 axons, each neuron needs 300 (no split helps)
    name: "CUBA-like net: too many input axons for a truenorth core",
    source: network(
      "  population exc = LIF[300]\n  population inh = LIF[60]\n  connect exc -> exc, inh with Static(w = 1 mV) onto ge all_to_all",
    ),
    map: "digital",
    hw: "truenorth",
    errors: ["E0804 11:3-11:27"],
    text: "population exc = LIF[300]",
    related: ["13:3 connect exc -> exc, inh with Static(w = 1 mV) onto ge all_to_all"],
  },
  {
    // 4100 inputs all-to-all onto each neuron: a core of even one of them needs 4100 input axons, a Loihi core
    // has 4096, so the automatic partition cannot help (a 300 x 300 all-to-all, too big for one core's synapse
    // memory, now maps onto 2 cores: test/digital/partition.test.ts)
    name: "one neuron's fan-in over a loihi core's 4096 axons",
    source: network(
      "  population src = LIF[4100]\n  population exc = LIF[2]\n  connect src -> exc with Static(w = 1 mV) onto ge all_to_all",
    ),
    map: "digital",
    hw: "loihi",
    errors: ["E0804 12:3-12:25"],
    text: "population exc = LIF[2]",
    related: ["13:3 connect src -> exc with Static(w = 1 mV) onto ge all_to_all"],
  },
  {
    name: "plastic synapse onto reram-128",
    source: network(
      "  population a = LIF[10]\n  population b = LIF[5]\n  connect a -> b with Hebb onto ge all_to_all",
      HEBB,
    ),
    map: "crossbar",
    hw: "reram-128",
    errors: ["E0801 18:3-18:45"],
    text: "connect a -> b with Hebb onto ge all_to_all",
    related: ["13:3 on pre"],
  },
  {
    name: "astrocyte onto reram-128",
    source: network(
      "  population a = LIF[10]\n  population b = LIF[5]\n  population g = Astro[2]\n  connect p: a -> b with Static(w = 1 mV) onto ge all_to_all\n  ensheath p with g random(pool = 1)",
      ASTRO,
    ),
    map: "crossbar",
    hw: "reram-128",
    errors: ["E0801 18:3-18:25", "E0801 20:3-20:36"],
    text: "population g = Astro[2]",
    related: ["20:3 ensheath p with g random(pool = 1)", "10:11 Astro"],
  },
  {
    name: "per-synapse delays onto reram-128",
    source: network(
      "  population a = LIF[10]\n  population b = LIF[5]\n  connect a -> b with Static(w = 1 mV) onto ge all_to_all delay = uniform(1 ms, 3 ms)",
    ),
    map: "crossbar",
    hw: "reram-128",
    errors: ["E0801 13:3-13:85"],
    text: "connect a -> b with Static(w = 1 mV) onto ge all_to_all delay = uniform(1 ms, 3 ms)",
    related: [],
  },
  {
    name: "unsupported fixed-point operation in an equation",
    source: network("  population a = Osc[4]", OSC),
    map: "digital",
    hw: "fpga-ultrascale",
    errors: ["E0802 13:21-13:26"],
    text: "sin(v)",
    related: [],
  },
  {
    name: "unsupported fixed-point operation in a synapse handler",
    source: network(
      "  population a = LIF[4]\n  population b = LIF[4]\n  connect a -> b with Tuned onto ge all_to_all",
      COS_SYN,
    ),
    map: "digital",
    hw: "loihi",
    errors: ["E0802 12:31-12:47"],
    text: "cos(pre.v / 1 mV)",
    related: [],
  },
  {
    // white noise: the fixed target draws it into a state word, but descriptors have no noise source
    name: "white noise on a digital descriptor",
    source: network(
      "  population q = Noisy[4]\n  record v of q",
      "neuron Noisy {\n  state { v = 0 }\n  equations { v' = -v / 10 ms + 0.1 * xi / sqrt(1 ms) }\n}\n",
    ),
    map: "digital",
    hw: "loihi",
    errors: ["E0801 15:3-15:25"],
    text: "population q = Noisy[4]",
    related: [],
  },
];
