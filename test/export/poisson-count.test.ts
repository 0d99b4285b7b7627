// poisson_count inputs in the Brian2 and NEST exporters, in process (targets/export/count-sources.ts): a one_to_one
// `post.X += w` background is written (Brian2: a group drawing `poisson(rate * dt)` events, synapses adding
// events_pre * w; NEST: one poisson_generator per distinct rate); what an engine cannot replay exactly is E0808 with
// the construct named and a caret on it: a plastic synapse from the input (both), a delayed synapse (Brian2 reads
// the count at delivery), an element with several targets and a recorded input (NEST's poisson_generator).
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { brian2Exporter } from "../../targets/export/brian2/index.js";
import { nestExporter } from "../../targets/export/nest/index.js";
import { memoryHost } from "../helpers/dir-host.js";

const MODEL = `neuron Lif {
  parameters { tau: ms = 10 ms  tau_s: ms = 0.5 ms  th: mV = 15 mV  C: pF = 250 pF }
  state { v: mV = 0 mV  I_syn: pA = 0 pA }
  equations {
    v' = -v / tau + I_syn / C
    I_syn' = -I_syn / tau_s
  }
  method exact
  spike when v > th { v = 0 mV }
}
synapse PSC { parameters { w: pA } on pre { post.I_syn += w } }
synapse Grow { parameters { w: pA } state { n = 0 } on pre { post.I_syn += w * n  n += 1 } }
`;

/** A network of 4 Lif cells with a poisson_count input bg (line 16) connected by `connect` (line 17); the
 *  synapses' `on pre` are on lines 11 (PSC) and 12 (Grow). */
const net = (connect: string, extra = ""): string => `${MODEL}network N {
  dt = 0.1 ms
  population p = Lif[4]
  input bg = poisson_count(rate = 16 kHz + 1 kHz * (i % 2))[4]
  ${connect}
  record spikes of p${extra}
  run 10 ms
}
`;

function ir(src: string): IRProgram {
  const c = compile("n.glia", memoryHost({ "n.glia": src }), {});
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

const at = (d: Diagnostic): string => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`;

function exported(engine: "brian2" | "nest", src: string): { errors: string[]; script?: string } {
  const r = (engine === "brian2" ? brian2Exporter : nestExporter).emit(ir(src), { out: "out", file: "n.glia" });
  return {
    errors: r.diagnostics.filter((d) => d.severity === "error").map(at),
    script: r.files?.find((f) => f.path === "out/run.py")?.content as string | undefined,
  };
}

const ONE = "connect bg -> p with PSC(w = 87.8 pA) onto I_syn one_to_one";

describe("poisson_count in exported scripts", () => {
  test("Brian2: a group drawing poisson(rate * dt) events, synapses adding events_pre * w; rates from glia", () => {
    const r = exported("brian2", net(ONE));
    expect(r.errors).toEqual([]);
    expect(r.script).toContain(
      `g = b2.NeuronGroup(4, "rate : hertz (constant)\\nevents : integer", threshold="events > 0", reset="",`,
    );
    expect(r.script).toContain(
      `g.run_regularly("events = poisson(rate * dt)", dt=DT * second, when="before_thresholds")`,
    );
    expect(r.script).toContain(`on_pre="I_syn_post += events_pre * ((8.78e-11*amp))"`);
    expect(r.script).toContain(`COUNT_SOURCES = ["bg"]`);
  });

  test("NEST: one poisson_generator per distinct rate, connected with glia's weight", () => {
    const r = exported("nest", net(ONE));
    expect(r.errors).toEqual([]);
    expect(r.script).toContain(`rates = load(data, "src_bg.csv")["rate_hz"]`);
    expect(r.script).toContain(
      `gen[rates == rate] = nest.Create("poisson_generator", params={"rate": float(rate)}).tolist()[0]`,
    );
    expect(r.script).toContain(`delay = np.maximum(syn["delay"], 1) * DT * 1e3`);
  });

  test("a plastic synapse from the input: E0808 on both engines, at its handler", () => {
    for (const engine of ["brian2", "nest"] as const)
      expect(exported(engine, net("connect bg -> p with Grow(w = 1 pA) onto I_syn one_to_one")).errors).toEqual([
        `E0808 12:53 cannot export to ${engine}: the synapse Grow of bg_p from the poisson_count input bg`,
      ]);
  });

  test("a delayed synapse: E0808 on Brian2 (it reads the count at delivery); NEST exports it", () => {
    const delayed = net(`${ONE} delay = 1 ms`);
    expect(exported("brian2", delayed).errors).toEqual([
      "E0808 17:3 cannot export to brian2: the delayed synapse PSC of bg_p from the poisson_count input bg",
    ]);
    expect(exported("nest", delayed).errors).toEqual([]);
  });

  test("an element with several targets, a recorded input: E0808 on NEST; Brian2 exports them", () => {
    const all = net("connect bg -> p with PSC(w = 87.8 pA) onto I_syn all_to_all");
    expect(exported("nest", all).errors).toEqual([
      "E0808 16:3 cannot export to nest: the poisson_count input bg with elements of 4 synapses",
    ]);
    expect(exported("brian2", all).errors).toEqual([]);
    const recorded = net(ONE, "\n  record spikes of bg");
    expect(exported("nest", recorded).errors).toEqual([
      "E0808 19:3 cannot export to nest: the spikes record of the poisson_count input bg",
    ]);
    expect(exported("brian2", recorded).errors).toEqual([]);
  });
});
