// Tests for the IR builder on real sources (parse + load through an in-memory host) and examples.
import { describe, expect, test } from "@jest/globals";
import { loadProgram, type SourceHost } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { buildIR } from "../../compiler/ir/build.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { printIR } from "../../compiler/ir/print.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { readdirSync } from "node:fs";

function buildFrom(files: Record<string, string>, entry = "main.glia"): IRProgram {
  const host: SourceHost = { readFile: (p) => files[p] ?? nodeHost().readFile(p) };
  const loaded = loadProgram(entry, host);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildIR(loaded.program, loaded.data);
}

describe("buildIR on examples", () => {
  const dir = "examples";
  const files = readdirSync(dir).filter((f) => f.endsWith(".glia"));
  test.each(files)("%s builds to IR that verifies", (f) => {
    const loaded = loadProgram(`${dir}/${f}`, nodeHost());
    const p = buildIR(loaded.program, loaded.data);
    expect(verifyIR(p)).toEqual([]);
    expect(p.groups.length + p.sources.length).toBeGreaterThan(0);
    expect(p.steps).toBeGreaterThan(0);
  });
});

const SRC = `
neuron N {
  parameters {
    tau: ms = 10 ms
    th: mV = -50 mV
    gain = 2
    off: mV = 0 mV
  }
  state {
    v: mV = uniform(-60 mV, th)
    a = 0
  }
  inputs { I: mV }
  equations {
    drive: mV = I + off
    v' = (drive - v) / tau + a^2 * 1 mV / 1 ms
    a' = -a / tau
  }
  spike when v > th { v = -60 mV; a += 1 }
  refractory 2 ms clamp v
}
astrocyte A {
  state { c = 0 }
  equations { c' = -c / 100 ms }
  dt = 1 ms
  on synapse_pre { c += 0.1 }
  expose level = c * 2
}
synapse Syn {
  parameters { w }
  state { x = 0 }
  equations { x' = -x / 5 ms }
  on pre { post.target += w * astro.level * mod.m; x += 1 }
}
synapse Plain {
  parameters { w }
  on pre { post.target += w }
}
network Net {
  dt = 0.1 ms
  seed = 7
  population p = N(5 ms, gain = 3, off = uniform(0 mV, 1 mV))[10]
  population q = N(th = -45 mV + 0 mV)[4]
  population ast = A[2]
  input src = poisson(rate = 5 Hz)[3]
  connect c1: p, q -> q with Syn(w = 0.5 mV * (1 + j)) onto I fixed_probability(0.1) delay = 1.26 ms
  connect p -> q with Plain(w = 1 mV) onto I all_to_all delay = uniform(1 ms, 2 ms)
  connect p -> q with Plain(w = 1 mV) onto I csv_list("conn.csv")
  ensheath c1 with ast random(pool = 2)
  modulator m = rate(p) / 10 Hz + mean(q.v) / 1 mV
  record v of p[0:3] every 1 ms
  record spikes of p, src
  run 50 ms
}
`;

describe("buildIR from source", () => {
  const p = buildFrom({ "main.glia": SRC, "conn.csv": "pre,post\n0,1\n2,3\n" });
  const g = (n: string) => p.groups.find((x) => x.name === n)!;

  test("network settings, sizes and steps", () => {
    expect([p.network, p.dt, p.seed, p.steps]).toEqual(["Net", 1e-4, 7, 500]);
    expect(p.groups.map((x) => [x.name, x.kind, x.size, x.stepEvery])).toEqual([
      ["p", "neuron", 10, 1],
      ["q", "neuron", 4, 1],
      ["ast", "astrocyte", 2, 10],
    ]);
    expect(verifyIR(p)).toEqual([]);
  });

  test("arguments bind positionally and by name; SI values; per-element detection", () => {
    const params = Object.fromEntries(g("p").params.map((v) => [v.name, v]));
    expect(params.tau!.init).toEqual({ k: "expr", e: { k: "num", v: 0.005 } });
    expect(params.tau!.dim).toBe("s");
    expect(params.gain!.init).toEqual({ k: "expr", e: { k: "num", v: 3 } });
    expect(params.off!.perElement).toBe(true);
    expect(params.off!.init).toEqual({
      k: "dist",
      dist: "uniform",
      args: [
        { k: "num", v: 0 },
        { k: "num", v: 0.001 },
      ],
      scale: 1,
    });
    expect(params.th!.perElement).toBe(false);
    expect(g("p").state[0]!.init.k).toBe("dist");
    expect(g("p").refractory).toEqual({ steps: 20, clamp: ["v"] });
    expect(g("q").params.find((v) => v.name === "th")!.init).toEqual({
      k: "expr",
      e: { k: "bin", op: "+", a: { k: "neg", a: { k: "num", v: 0.045 } }, b: { k: "num", v: 0 } },
    });
  });

  test("names resolve to their spaces; aliases, ^ and handlers", () => {
    const text = printIR(p);
    expect(text).toContain("alias drive = I + off");
    expect(text).toContain("v' = (drive - v) / tau + pow(a, 2) * 0.001 / 0.001");
    expect(text).toContain("post.I = post.I + w * astro.level * mod.m");
    expect(g("ast").exposes).toEqual([
      {
        name: "level",
        dim: "1",
        expr: { k: "bin", op: "*", a: { k: "ref", ref: { space: "state", name: "c" } }, b: { k: "num", v: 2 } },
      },
    ]);
    expect(p.modulators[0]!.expr).toEqual({
      k: "bin",
      op: "+",
      a: { k: "bin", op: "/", a: { k: "ref", ref: { space: "poprate", name: "p" } }, b: { k: "num", v: 10 } },
      b: { k: "bin", op: "/", a: { k: "ref", ref: { space: "popmean", name: "q.v" } }, b: { k: "num", v: 0.001 } },
    });
  });

  test("connect expands pre x post, names, rules, delays, ensheathing", () => {
    expect(p.projections.map((x) => x.name)).toEqual(["c1_1", "c1_2", "p_q", "p_q_2"]);
    const [a, b, c, d] = p.projections;
    expect(a!.pre).toEqual({ population: "p", start: 0, end: 10 });
    expect(b!.pre.population).toBe("q");
    expect(a!.rule).toEqual({ k: "fixed_probability", p: 0.1 });
    expect(a!.delay).toEqual({ k: "expr", e: { k: "num", v: 13 } });
    expect(a!.params[0]!.perElement).toBe(true); // depends on j
    expect(a!.ensheathedBy).toEqual({ astrocytes: "ast", rule: "random", pool: 2 });
    expect(b!.ensheathedBy).toEqual({ astrocytes: "ast", rule: "random", pool: 2 });
    expect(c!.ensheathedBy).toBeNull();
    expect(c!.delay.k).toBe("dist");
    if (c!.delay.k === "dist") {
      expect(c!.delay.args).toEqual([
        { k: "num", v: 0.001 },
        { k: "num", v: 0.002 },
      ]);
      expect(c!.delay.scale).toBeCloseTo(1e4, 9);
    }
    expect(d!.rule).toEqual({ k: "from_list", pre: [0, 2], post: [1, 3] });
    expect(a!.odes.map((o) => o.name)).toEqual(["x"]);
    expect(c!.synapse).toBe("Plain");
  });

  test("sources and monitors", () => {
    expect(p.sources).toEqual([{ name: "src", k: "poisson", size: 3, rate: { k: "expr", e: { k: "num", v: 5 } } }]);
    expect(p.monitors).toEqual([
      { k: "state", variable: "v", target: { population: "p", start: 0, end: 3 }, everySteps: 10 },
      { k: "spikes", target: { population: "p", start: 0, end: 10 }, everySteps: 1 },
      { k: "spikes", target: { population: "src", start: 0, end: 3 }, everySteps: 1 },
    ]);
  });
});
