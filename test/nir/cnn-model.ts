// The CNN of test/nir/cnn.test.ts and test/peers/nir-live.test.ts: its NIR graph (Input 1x6x6 -> Conv2d 2x1x3x3,
// padding 1 -> LIF -> SumPool2d 2x2 -> Flatten -> Affine 4x18 -> LIF, the readout in a nested graph, edges out of
// order), its input spikes, and the same network written directly in glia by a gather-form convolution
// (independent of the importer's scatter form). In: weights; out: graphs, glia text, spike lists.

import { fill, graph, node } from "./helpers.js";

/** Deterministic weights in [lo, hi). */
function weights(n: number, seed: number, lo: number, hi: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return lo + ((hi - lo) * s) / 2 ** 31;
  });
}

export const KERNEL = weights(2 * 9, 7, -0.3, 1.0); // [o][ky][kx], one input channel
export const FC = weights(4 * 18, 11, -0.2, 0.8); // [r][c*9 + y*3 + x]
const TAU1 = 0.01;
const TAU2 = 0.02;

export function cnnGraph(): ReturnType<typeof graph> {
  const n1 = 2 * 36;
  const readout = graph(
    {
      input: node("Input", { shape: [2, 3, 3] }),
      flat: node("Flatten", { start_dim: 0, end_dim: -1, input_type: [2, 3, 3] }),
      fc: node("Affine", { weight: { shape: [4, 18], data: FC }, bias: fill(4, 0) }),
      lif: node("LIF", {
        tau: fill(4, TAU2),
        r: fill(4, 1),
        v_leak: fill(4, 0),
        v_threshold: fill(4, 0.6),
        v_reset: fill(4, 0),
      }),
      output: node("Output", { shape: [4] }),
    },
    [
      ["fc", "lif"],
      ["input", "flat"],
      ["lif", "output"],
      ["flat", "fc"],
    ],
  );
  return graph(
    {
      in: node("Input", { shape: [1, 6, 6] }),
      conv: node("Conv2d", {
        input_shape: [6, 6],
        weight: { shape: [2, 1, 3, 3], data: KERNEL },
        stride: [1, 1],
        padding: [1, 1],
        dilation: [1, 1],
        groups: 1,
        bias: fill(2, 0),
      }),
      lif: node("LIF", {
        tau: { shape: [2, 6, 6], data: fill(n1, TAU1) },
        r: { shape: [2, 6, 6], data: fill(n1, 1) },
        v_leak: { shape: [2, 6, 6], data: fill(n1, 0) },
        v_threshold: { shape: [2, 6, 6], data: fill(n1, 0.8) },
        v_reset: { shape: [2, 6, 6], data: fill(n1, 0) },
      }),
      pool: node("SumPool2d", { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }),
      readout,
      out: node("Output", { shape: [4] }),
    },
    [
      ["readout", "out"],
      ["pool", "readout"],
      ["in", "conv"],
      ["conv", "lif"],
      ["lif", "pool"],
    ],
  );
}

/** The same network written directly in glia: synapses by gathering each output's receptive field. */
export function handWrittenCnn(kernel: number[], fc: number[], inputCsv: string): string {
  const lines: string[] = [];
  let k = 0;
  const connect = (pre: string, post: string, i: number, j: number, jump: number): void => {
    lines.push(`  connect c${k++}: ${pre} -> ${post} with Static(w = ${jump}) onto v from_list([${i}], [${j}])`);
  };
  for (let o = 0; o < 2; o++)
    for (let oy = 0; oy < 6; oy++)
      for (let ox = 0; ox < 6; ox++)
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const [y, x] = [oy - 1 + ky, ox - 1 + kx];
            if (y < 0 || y >= 6 || x < 0 || x >= 6) continue;
            connect("pixels", "feat", y * 6 + x, o * 36 + oy * 6 + ox, (1 * kernel[o * 9 + ky * 3 + kx]!) / TAU1);
          }
  for (let c = 0; c < 2; c++)
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 6; x++)
        for (let r = 0; r < 4; r++) {
          const w = fc[r * 18 + c * 9 + Math.floor(y / 2) * 3 + Math.floor(x / 2)]!;
          if (w !== 0) connect("feat", "out", c * 36 + y * 6 + x, r, w / TAU2);
        }
  return [
    'import "std/static.glia"',
    "neuron Leaky {",
    "  parameters { tau: ms; v_th }",
    "  state { v = 0 }",
    "  equations { v' = -v / tau }",
    "  method exact",
    "  spike when v > v_th { v = 0 }",
    "}",
    "network cnn_by_hand {",
    "  dt = 1 ms",
    "  seed = 1",
    `  input pixels = csv_spikes("${inputCsv}")[36]`,
    `  population feat = Leaky(tau = ${TAU1 * 1e3} ms, v_th = 0.8)[72]`,
    `  population out = Leaky(tau = ${TAU2 * 1e3} ms, v_th = 0.6)[4]`,
    ...lines,
    "  record spikes of feat, out",
    "  run 60 ms",
    "}",
    "",
  ].join("\n");
}

/** Input spikes: pixel p fires at steps p % 7 + 3, + 9, + 18 ... (a deterministic moving pattern). */
export function cnnInput(): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < 50; t++) for (let p = 0; p < 36; p++) if ((p * 5 + t * 3) % 11 === 0) out.push([p, t]);
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}
