// Current stimuli (`current X of POP = steps | csv_current | timed_array`) in the NEST export. In: the continuous IR;
// out: (1) iaf_psc_exp for a group whose inputs are all fed by current stimuli alone and enter only its membrane
// equation as an added current (V' = ... + d X, d constant: NEST's I_stim / C_m), with d as NEST's pA per glia SI unit
// (matchIafPscExpStimulated); (2) run.py's lines for each stimulus (stimulusLines) and the Python they call
// (PY_CURRENTS): one dc_generator per stretch of a nonzero value from step 2 on, into the NESTML neuron's continuous
// port or the built-in's current input (receptor 0), and the values of steps 0 and 1, which no device reaches, as
// the neuron's own constant current for those two steps (iaf_psc_exp's I_e, the NESTML neuron's parameter
// stim_head_X), the run's first two steps simulated one at a time (advance) and the parameter put back to 0.
//
// Timing, measured on NEST 3.10 with a one-step delay: a dc_generator with start S > 0 and stop E reaches the updates
// of steps S/dt + 1 to E/dt, of a NESTML neuron's continuous port and of iaf_psc_exp's I_stim alike (iaf_psc_exp
// with start 0 only from step 2, not 1), so glia's value in force from step s to s' (s >= 2) is a generator from
// (s - 1) dt to (s' - 1) dt; a neuron's constant current (I_e) enters the update of the very step it is set for.

import type { IRExpr, IRGroup, IRProgram, IRProjection } from "../../../compiler/ir/nodes.js";
import { forEachTarget, mentions, substitute } from "../../../compiler/ir/expr.js";
import { evalExpr } from "../../network/eval.js";
import { C_M, matchIafPscExp, type IafBinding, type Match } from "./match.js";
import { stimulatedInputs, type NestmlBinding } from "./nestml.js";

/** The steps run one at a time with the stimuli's values as the neurons' constant current: no device reaches them. */
export const HEAD_STEPS = 2;

/** iaf_psc_exp as matchIafPscExp finds it, for a group whose stimulated inputs are an added current of its membrane:
 *  the binding carries, per input, NEST's current (pA) per glia SI unit. Any other group: matchIafPscExp's answer. */
export function matchIafPscExpStimulated(
  g: IRGroup,
  ir: IRProgram,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
  plasticTarget: (p: IRProjection) => string | undefined,
): Match {
  const plain = matchIafPscExp(g, scalars, incoming, weightSign, plasticTarget);
  const stimulated = stimulatedInputs(ir.currents, g.name);
  if (plain.ok || stimulated.length === 0 || g.inputs.some((v) => !stimulated.includes(v.name))) return plain;
  // an input a synapse or a continuous coupling writes (astrocytes' SIC couplings too) is no device's current alone,
  // and iaf_psc_exp has no recordable for an input a state record asks for (a NESTML neuron has)
  const written = new Set<string>();
  for (const p of ir.projections.filter((x) => x.post.population === g.name))
    forEachTarget([...p.onPre, ...p.onPost, ...p.continuous], (r) => r.space === "post" && written.add(r.name));
  for (const m of ir.monitors)
    if (m.k === "state" && m.target.population === g.name && m.variable !== undefined) written.add(m.variable);
  if (stimulated.some((x) => written.has(x))) return plain;
  const isInput = (e: IRExpr): boolean => mentions(e, (r) => r.space === "input");
  if (
    (g.threshold && isInput(g.threshold)) ||
    g.aliases.some((a) => isInput(a.expr)) ||
    JSON.stringify(g.reset).includes('"space":"input"')
  )
    return plain;
  const zero: IRExpr = { k: "num", v: 0 };
  const free: IRGroup = {
    ...g,
    inputs: [],
    odes: g.odes.map((o) => ({ ...o, rhs: substitute(o.rhs, (r) => (r.space === "input" ? zero : undefined)) })),
  };
  const m = matchIafPscExp(free, scalars, incoming, weightSign, plasticTarget);
  if (!m.ok) return plain;
  const stim = new Map<string, number>();
  for (const x of stimulated) {
    const d = addedCurrent(g, m.binding.v, x, scalars);
    if (d === undefined) return plain;
    // NEST: C_m V' = ... + I_stim, so glia's d X is I_stim / C_m: I_stim (pA) = d C_m X
    stim.set(x, d * C_M * 1e12);
  }
  return { ok: true, binding: { ...m.binding, stim } };
}

/** d when input x enters only v's equation and as `+ d x` with d constant (checked at pseudo-random states and
 *  values of x), else undefined. */
function addedCurrent(g: IRGroup, v: string, x: string, scalars: Map<string, number>): number | undefined {
  const rhs = (name: string, state: Map<string, number>, value: number): number | undefined => {
    try {
      return evalExpr(g.odes.find((o) => o.name === name)!.rhs, (r) =>
        r.space === "state"
          ? state.get(r.name)
          : r.space === "param"
            ? scalars.get(r.name)
            : r.space === "input"
              ? r.name === x
                ? value
                : 0
              : undefined,
      );
    } catch {
      return undefined;
    }
  };
  // d at the zero state with x = 1 (SI: the sum's other terms are far smaller then), confirmed at other states
  const zero = new Map(g.state.map((s) => [s.name, 0]));
  const base = rhs(v, zero, 0);
  const d = base === undefined ? undefined : rhs(v, zero, 1)! - base;
  let seed = 4242;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  for (let trial = 0; trial < 8 && d !== undefined; trial++) {
    const state = new Map(g.state.map((s) => [s.name, rnd()]));
    const amount = 1 + rnd();
    for (const o of g.odes) {
      const a = rhs(o.name, state, 0);
      const b = rhs(o.name, state, amount);
      if (a === undefined || b === undefined) return undefined;
      if (o.name === v ? !(Math.abs((b - a) / amount - d) <= 1e-6 * Math.abs(d)) : a !== b) return undefined;
    }
  }
  return d !== undefined && d > 0 && Number.isFinite(d) ? d : undefined;
}

/** run.py's build lines for current stimulus n: its value at steps 0 and 1 as the neuron's constant current (HEAD),
 *  a dc_generator per later stretch of a nonzero value (NEST's units: the value times `factor`). */
export function stimulusLines(
  ir: IRProgram,
  c: IRProgram["currents"][number],
  n: number,
  b: NestmlBinding | (IafBinding & { stim?: ReadonlyMap<string, number> }),
): string[] {
  const x = c.variable.replace(/[^A-Za-z0-9_]/g, "_");
  const pop = JSON.stringify(c.target.population);
  const nestml = b.model === "nestml";
  const factor = nestml ? 1 : b.stim!.get(c.variable)!;
  const receptor = nestml ? stimulatedInputs(ir.currents, c.target.population).indexOf(c.variable) : 0;
  const param = nestml ? `stim_head_${x}` : "I_e";
  const into = nestml
    ? `the port stim_${x} (glia's SI value)`
    : `iaf_psc_exp's current input (receptor 0; ${factor} pA per A of ${c.variable})`;
  return [
    `    # current stimulus ${n}: ${c.variable} of ${c.target.population}[${c.target.start}:${c.target.end}] (data/current_${n}.csv: the value from`,
    `    # each step on): steps 0 and 1 as ${param} (advance), from step 2 one dc_generator per stretch of a nonzero`,
    `    # value into ${into}`,
    `    at = stimulus_steps(load(data, "current_${n}.csv"))`,
    `    head_current(nodes[${pop}], ${pop}, "${param}", ${c.target.start}, ${c.target.end}, [value_at(at, k) * ${factor} for k in range(HEAD_STEPS)])`,
    `    params = dc_stretches(at, ${factor})`,
    `    if params:`,
    `        gen = nest.Create("dc_generator", len(params), params=params)`,
    `        nest.Connect(gen, nodes[${pop}][${c.target.start}:${c.target.end}], syn_spec={"delay": DT * 1e3, "receptor_type": ${receptor}})`,
    ``,
  ];
}

/** The Python of current stimuli in run.py (after the prelude): the stimulus's steps, its dc_generators, the head
 *  steps' constant currents and advance(), which the postlude calls in place of nest.Simulate. */
export const PY_CURRENTS = `
HEAD_STEPS = ${HEAD_STEPS}  # the first steps no device reaches: current stimuli act there as the neurons' constant current
HEAD = {}  # (population, parameter): [NodeCollection, values per head step and element (NEST's units)]
DONE = [0]  # steps simulated since build()


def stimulus_steps(cur):
    """{step: the value glia's stimulus holds from that step on} (a later row at the same step replaces an earlier one)."""
    at = {}
    for s, v in zip(np.atleast_1d(cur["step"]), np.atleast_1d(cur["value"])):
        at[int(s)] = float(v)
    return at


def value_at(at, k):
    """The stimulus's value in step k (0 before its first row)."""
    starts = [s for s in sorted(at) if s <= k]
    return at[starts[-1]] if starts else 0.0


def dc_stretches(at, factor):
    """dc_generator parameters: one per stretch of a nonzero value from step HEAD_STEPS on, started and stopped one
    step early (a device's current reaches a neuron's update one step after its start)."""
    starts = sorted(at)
    params = []
    for i, s in enumerate(starts):
        a = max(s, HEAD_STEPS)
        b = starts[i + 1] if i + 1 < len(starts) else None
        if at[s] != 0 and a < STEPS and (b is None or a < b):
            p = {"amplitude": at[s] * factor, "start": (a - 1) * DT * 1e3}
            if b is not None:
                p["stop"] = (b - 1) * DT * 1e3
            params.append(p)
    return params


def head_current(pop, name, param, start, end, values):
    """Adds a stimulus's values of the head steps to elements start:end of the population's constant current."""
    if (name, param) not in HEAD:
        HEAD[(name, param)] = [pop, np.zeros((HEAD_STEPS, len(pop)))]
    HEAD[(name, param)][1][:, start:end] += np.asarray(values, dtype=float)[:, None]


def advance(nodes, ms):
    """run_coupled(nodes, ms) (couplings.ts: nest.Simulate, or step by step with continuous couplings); the head
    steps one at a time, each with its stimuli's values as the constant current, which goes back to 0 after them."""
    n = int(round(ms / (DT * 1e3)))
    live = any(v.any() for _, v in HEAD.values())
    while live and n > 0 and DONE[0] < HEAD_STEPS:
        for (name, param), (pop, values) in HEAD.items():
            setp(pop, param, values[DONE[0]])
        run_coupled(nodes, DT * 1e3)
        DONE[0] += 1
        n -= 1
        if DONE[0] == HEAD_STEPS:
            for (name, param), (pop, values) in HEAD.items():
                setp(pop, param, np.zeros(len(pop)))
    if n > 0:
        run_coupled(nodes, round(n * DT * 1e3, 9))
        DONE[0] += n
`;
