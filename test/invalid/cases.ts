// The invalid-input table: one small .glia source per case with the single error it must produce,
// its exact span and the source text under that span. In: nothing; out: CASES for cases.test.ts.

export interface InvalidCase {
  name: string;
  source: string;
  code: string;
  /** line:col-endLine:endCol, 1-based, end inclusive. */
  span: string;
  /** The source text the span covers. */
  text: string;
  data?: Record<string, string>;
}

/** A clean neuron and generic synapse (lines 1-9); network items in net() start on line 14. */
export const BASE = `neuron LIF {
  parameters { tau: ms = 10 ms; th: mV = 10 mV }
  state { v: mV = 0 mV; ge: mV = 0 mV }
  inputs { I: pA }
  equations { v' = (ge - v) / tau + I / 1 nF; ge' = -ge / tau }
  spike when v > th { v = 0 mV }
  refractory 2 ms clamp v
}
synapse Static { parameters { w } on pre { post.target += w } }
`;

export const net = (items: string, extra = "") => `${BASE}network N {
  dt = 0.1 ms
  population a = LIF[10]
  population b = LIF[5]
${items}
  run 10 ms
}
${extra}`;

const neuron = (body: string) => `neuron M {\n${body}\n}\n`;

// one case per line, so the table reads as a table
// prettier-ignore
export const CASES: InvalidCase[] = [
  // ------------------------------------------------------------ names
  { name: "undeclared name", source: neuron("  parameters { tau: ms = 1 ms }\n  state { v = 0 }\n  equations { v' = -v / tauu }"), code: "E0201", span: "4:25-4:28", text: "tauu" },
  { name: "unit symbol used as a name", source: neuron("  state { v = 0 }\n  equations { v' = -v / ms }"), code: "E0201", span: "3:25-3:26", text: "ms" },
  { name: "duplicate declaration", source: neuron("  parameters { a = 1 }\n  state { v = 0; a = 2 }\n  equations { v' = -v * a / 1 s }"), code: "E0202", span: "3:18-3:18", text: "a" },
  { name: "declared name is a unit symbol", source: neuron("  parameters { mV = 1 }\n  state { v = 0 }\n  equations { v' = -v * mV / 1 s }"), code: "E0205", span: "2:16-2:17", text: "mV" },
  { name: "declared name is a built-in", source: neuron("  state { t = 0 }"), code: "E0205", span: "2:11-2:11", text: "t" },
  { name: "unknown model", source: net("  population c = LIFF[3]"), code: "E0203", span: "14:18-14:21", text: "LIFF" },
  { name: "unknown function", source: neuron("  state { v = 0 }\n  equations { v' = expp(v) / 1 s }"), code: "E0204", span: "3:20-3:23", text: "expp" },
  { name: "wrong number of arguments", source: neuron("  state { v = 0 }\n  equations { v' = clip(v, 0) / 1 s }"), code: "E0208", span: "3:20-3:29", text: "clip(v, 0)" },
  { name: "unknown model argument", source: net("  population c = LIF(tauu = 5 ms)[3]"), code: "E0209", span: "14:22-14:25", text: "tauu" },
  { name: "missing generic synapse argument", source: net("  connect a -> b with Static onto ge all_to_all"), code: "E0210", span: "14:23-14:28", text: "Static" },
  { name: "unknown population", source: net("  connect a -> c with Static(w = 1 mV) onto ge all_to_all"), code: "E0206", span: "14:16-14:16", text: "c" },
  { name: "unknown recorded variable", source: net("  record vv of a"), code: "E0511", span: "14:10-14:11", text: "vv" },
  { name: "spikes of a projection", source: net("  connect s: a -> b with Static(w = 1 mV) onto ge all_to_all\n  record spikes of s"), code: "E0511", span: "15:10-15:15", text: "spikes" },
  { name: "empty synapse slice", source: net("  connect s: a -> b with Static(w = 1 mV) onto ge all_to_all\n  record w of s[3:3]"), code: "E0521", span: "15:15-15:20", text: "s[3:3]" },
  { name: "negative synapse number", source: net("  connect s: a -> b with Static(w = 1 mV) onto ge all_to_all\n  record w of s[0, -1]"), code: "E0521", span: "15:20-15:21", text: "-1" },
  { name: "index list on a population", source: net("  record v of a[0, 1]"), code: "E0520", span: "14:15-14:21", text: "a[0, 1]" },
  { name: "white noise in a reset", source: neuron("  state { v = 0 }\n  equations { v' = -v / 1 s }\n  spike when v > 1 { v = xi * sqrt(1 s) }"), code: "E0420", span: "4:26-4:27", text: "xi" },
  { name: "white noise in an alias", source: neuron("  state { v = 0 }\n  equations { drive = xi * 1 / sqrt(1 s); v' = drive - v / 1 s }"), code: "E0420", span: "3:23-3:24", text: "xi" },
  { name: "white noise in a synapse ODE", source: "synapse S {\n  state { x = 0 }\n  equations { x' = -x / 1 s + xi / sqrt(1 s) }\n  on pre { x += 1 }\n}\n", code: "E0420", span: "3:31-3:32", text: "xi" },
  { name: "white noise entering nonlinearly", source: neuron("  state { v = 0 }\n  equations { v' = -v / 1 s + exp(xi * sqrt(1 s)) / 1 s }"), code: "E0421", span: "3:31-3:49", text: "exp(xi * sqrt(1 s))" },
  { name: "rk4 with white noise", source: neuron("  state { v = 0 }\n  equations { v' = -v / 1 s + xi / sqrt(1 s) }\n  method rk4"), code: "E0422", span: "4:10-4:12", text: "rk4" },
  { name: "plain xi in two ODEs", source: neuron("  state { v = 0; w = 0 }\n  equations { v' = -v / 1 s + xi / sqrt(1 s); w' = -w / 1 s + xi / sqrt(1 s) }"), code: "E0423", span: "3:63-3:64", text: "xi" },
  { name: "current into a non-input", source: net("  current ge of a = steps(times = [0 ms], values = [1 mV])"), code: "E0207", span: "14:11-14:12", text: "ge" },
  { name: "unknown post variable", source: `${BASE.replace("post.target += w", "post.gee += w")}network N {\n  population a = LIF[3]\n  connect a -> a with Static(w = 1 mV) all_to_all\n  run 1 ms\n}\n`, code: "E0207", span: "9:49-9:51", text: "gee" },
  { name: "cyclic aliases", source: neuron("  state { v = 0 }\n  equations { x = y + 1; y = x * 2; v' = (x - v) / 1 s }"), code: "E0214", span: "3:15-3:15", text: "x" },
  { name: "unknown method", source: neuron("  state { v = 0 }\n  equations { v' = -v / 1 s }\n  method rk5"), code: "E0212", span: "4:10-4:12", text: "rk5" },
  { name: "unknown connect rule", source: net("  connect a -> b with Static(w = 1 mV) onto ge fixed_prob(0.1)"), code: "E0213", span: "14:48-14:57", text: "fixed_prob" },
  { name: "unknown input generator", source: net("  input s = poison(rate = 5 Hz)[3]"), code: "E0213", span: "14:13-14:18", text: "poison" },
  { name: "unknown modulator", source: `${BASE}synapse R { parameters { w: mV = 1 mV } on pre { post.target += w * mod.rwd } }\nnetwork N {\n  population a = LIF[3]\n  modulator reward = rate(a) / 1 Hz\n  connect a -> a with R onto ge all_to_all\n  run 1 ms\n}\n`, code: "E0514", span: "10:73-10:75", text: "rwd" },
  { name: "unknown unit in an annotation", source: neuron("  parameters { g: nSS = 1 nS }\n  state { v = 0 }\n  equations { v' = -v * g / 1 nS / 1 s }"), code: "E0211", span: "2:19-2:21", text: "nSS" },
  // ------------------------------------------------------------ units
  { name: "adding a voltage and a current", source: neuron("  parameters { i0: pA = 1 pA }\n  state { v: mV = 0 mV }\n  equations { v' = (v + i0) / 1 ms }"), code: "E0301", span: "4:20-4:27", text: "(v + i0)" },
  { name: "ODE right side without a time constant", source: neuron("  state { v: mV = 0 mV }\n  equations { v' = -v }"), code: "E0302", span: "3:20-3:21", text: "-v" },
  { name: "exp of a voltage", source: neuron("  state { v: mV = 0 mV }\n  equations { v' = exp(v) * 1 mV / 1 ms }"), code: "E0303", span: "3:24-3:24", text: "v" },
  { name: "run-time exponent of a voltage", source: neuron("  state { v: mV = 0 mV; n = 1 }\n  equations { n' = -n / 1 s; v' = v^n / 1 s }"), code: "E0304", span: "3:37-3:37", text: "n" },
  { name: "spike condition is a number", source: neuron("  state { v = 0 }\n  equations { v' = 1 / 1 s }\n  spike when v - 1 { v = 0 }"), code: "E0305", span: "4:14-4:18", text: "v - 1" },
  { name: "boolean used as a number", source: neuron("  state { v = 0 }\n  equations { v' = (v > 1) / 1 s }"), code: "E0306", span: "3:20-3:26", text: "(v > 1)" },
  { name: "annotation does not match value", source: neuron("  parameters { tau: ms = 20 mV }\n  state { v = 0 }\n  equations { v' = -v / tau }"), code: "E0307", span: "2:26-2:30", text: "20 mV" },
  { name: "comparing a voltage with a time", source: neuron("  state { v: mV = 0 mV }\n  equations { v' = 1 mV / 1 ms }\n  spike when v > 1 ms { v = 0 mV }"), code: "E0308", span: "4:14-4:21", text: "v > 1 ms" },
  { name: "refractory period is not a time", source: neuron("  state { v: mV = 0 mV }\n  equations { v' = 1 mV / 1 ms }\n  spike when v > 1 mV { v = 0 mV }\n  refractory 2 mV"), code: "E0309", span: "5:14-5:17", text: "2 mV" },
  { name: "weight onto a current input", source: net("  connect a -> b with Static(w = 1 mV) onto I all_to_all"), code: "E0301", span: "9:44-9:59", text: "post.target += w" },
  // ------------------------------------------------------------ model rules
  { name: "section not allowed in a synapse", source: "synapse S {\n  state { x = 0 }\n  spike when x > 1 { x = 0 }\n  on pre { x += 1 }\n}\n", code: "E0401", span: "3:3-3:7", text: "spike" },
  { name: "duplicate section", source: neuron("  parameters { a = 1 }\n  state { v = 0 }\n  parameters { b = 2 }\n  equations { v' = (a + b - v) / 1 s }"), code: "E0402", span: "4:3-4:12", text: "parameters" },
  { name: "ODE for a parameter", source: neuron("  parameters { a = 1 }\n  state { v = 0 }\n  equations { a' = -a / 1 s; v' = (a - v) / 1 s }"), code: "E0403", span: "4:15-4:15", text: "a" },
  { name: "assignment to a parameter", source: neuron("  parameters { th = 1 }\n  state { v = 0 }\n  equations { v' = 1 / 1 s }\n  spike when v > th { th = 2 }"), code: "E0404", span: "5:23-5:24", text: "th" },
  { name: "two ODEs for one variable", source: neuron("  state { v = 0 }\n  equations { v' = -v / 1 s; v' = v / 1 s }"), code: "E0405", span: "3:30-3:30", text: "v" },
  { name: "clamp of a parameter", source: neuron("  parameters { a = 1 }\n  state { v = 0 }\n  equations { v' = a / 1 s }\n  spike when v > 1 { v = 0 }\n  refractory 1 ms clamp a"), code: "E0406", span: "6:25-6:25", text: "a" },
  { name: "refractory without spike rule", source: neuron("  state { v = 0 }\n  equations { v' = -v / 1 s }\n  refractory 2 ms"), code: "E0407", span: "4:3-4:17", text: "refractory 2 ms" },
  { name: "pre. in a neuron", source: neuron("  state { v = 0 }\n  equations { v' = (pre.v - v) / 1 s }"), code: "E0408", span: "3:21-3:23", text: "pre" },
  { name: "continuous block assigns a state variable", source: net("  connect a -> b with Gap onto ge all_to_all", "synapse Gap { parameters { g = 0.1 } continuous { post.ge += g * (pre.v - post.v) } }\n"), code: "E0409", span: "17:51-17:57", text: "post.ge" },
  { name: "nonlinear event-driven synapse ODE", source: "synapse S {\n  state { x = 0 }\n  equations { x' = -x * x / 1 s }\n  on pre { x += 1 }\n}\n", code: "E0410", span: "3:20-3:25", text: "-x * x" },
  { name: "state without initial value", source: neuron("  state { v: mV }\n  equations { v' = -v / 1 ms }"), code: "E0411", span: "2:11-2:11", text: "v" },
  { name: "distribution in an equation", source: neuron("  state { v = 0 }\n  equations { v' = (uniform(0, 1) - v) / 1 s }"), code: "E0412", span: "3:21-3:33", text: "uniform(0, 1)" },
  { name: "astrocyte dt not a multiple of the network dt", source: net("  population g = Astro[2]", "astrocyte Astro {\n  state { ca = 0 }\n  equations { ca' = -ca / 1 s }\n  dt = 0.25 ms\n}\n"), code: "E0413", span: "20:8-20:14", text: "0.25 ms" },
  // ------------------------------------------------------------ network rules
  { name: "network without run", source: `${BASE}network Net {\n  population a = LIF[3]\n}\n`, code: "E0501", span: "10:9-10:11", text: "Net" },
  { name: "size not a positive integer", source: net("  population c = LIF[2.5]"), code: "E0502", span: "14:22-14:24", text: "2.5" },
  { name: "slice out of range", source: net("  record v of b[2:9]"), code: "E0503", span: "14:15-14:20", text: "b[2:9]" },
  { name: "onto a parameter", source: net("  connect a -> b with Static(w = 1 mV) onto tau all_to_all"), code: "E0504", span: "14:45-14:47", text: "tau" },
  { name: "post.target without onto", source: net("  connect a -> b with Static(w = 1 mV) all_to_all"), code: "E0505", span: "14:23-14:28", text: "Static" },
  { name: "probability above one", source: net("  connect a -> b with Static(w = 1 mV) onto ge fixed_probability(1.5)"), code: "E0506", span: "14:66-14:68", text: "1.5" },
  { name: "ensheath with a neuron population", source: net("  connect p: a -> b with Static(w = 1 mV) onto ge all_to_all\n  ensheath p with a random(pool = 1)"), code: "E0507", span: "15:19-15:19", text: "a" },
  { name: "one_to_one with different sizes", source: net("  connect a -> b with Static(w = 1 mV) onto ge one_to_one"), code: "E0508", span: "14:48-14:57", text: "one_to_one" },
  { name: "dt set twice", source: net("  dt = 0.2 ms"), code: "E0509", span: "14:3-14:13", text: "dt = 0.2 ms" },
  { name: "two networks", source: net("", "network Other {\n  run 1 ms\n}\n"), code: "E0510", span: "17:9-17:13", text: "Other" },
  { name: "negative delay", source: net("  connect a -> b with Static(w = 1 mV) onto ge all_to_all delay = -1 ms"), code: "E0512", span: "14:67-14:71", text: "-1 ms" },
  { name: "dt is not a time", source: `${BASE}network N {\n  dt = 0.1 mV\n  population a = LIF[3]\n  run 1 ms\n}\n`, code: "E0513", span: "11:8-11:13", text: "0.1 mV" },
  {
    name: "malformed spike file",
    source: net('  input s = csv_spikes("spikes.csv")[4]'),
    code: "E0605",
    span: "14:24-14:35",
    text: '"spikes.csv"',
    data: { "spikes.csv": "index,time_ms\n0,1.5\n7,2.0\n" },
  },
  { name: "parameter value reads a state variable", source: neuron("  parameters { a = v }\n  state { v = 0 }\n  equations { v' = -v / 1 ms }"), code: "E0414", span: "2:20-2:20", text: "v" },
  { name: "parameter values in a cycle", source: neuron("  parameters { a = b; b = a }\n  state { v = a }\n  equations { v' = -v / 1 ms }"), code: "E0415", span: "2:16-2:16", text: "a" },
];
