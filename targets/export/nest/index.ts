// `glia export FILE --to nest -o DIR`: the emitter. In: the continuous IR; out: DIR/run.py (PyNEST), DIR/README.md
// and DIR/data/*.csv (targets/export/network-data.ts), or E0808 naming what has no exact NEST form here: a group
// whose equations are not a NEST built-in's (match.ts: iaf_psc_exp; match-izhikevich.ts: izhikevich; match-cond.ts:
// iaf_cond_exp; match-aeif.ts: aeif_cond_exp, aeif_cond_alpha_astro; match-hh.ts: hh_psc_alpha; match-astro.ts:
// astrocyte_lr_1994 with sic_connection and tripartite third_in connections; astrocytes on their own clock as NESTML
// neurons with a step counter, astro-exchange.ts, or refused, astro-clock.ts; any other group, and the postsynaptic
// group of a NESTML synapse with `on post`, as a NESTML neuron: nestml.ts, written to DIR/nestml and built by run.py),
// a synapse other than a static one or tsodyks2_synapse (match-tsodyks.ts) as a NESTML synapse (with `on post` and a
// delay, its presynaptic spikes relayed by parrot_neurons after glia's delay: relays.ts), or E0808 naming what
// NESTML cannot express here (with each built-in's reason, match-synapse.ts), state records of variables with no NEST
// recordable, current stimuli other than into a NESTML neuron's input or an iaf_psc_exp's added current
// (dc_generators and, for the first two steps, the neuron's constant current: currents.ts). Continuous couplings between
// neurons run as run.py's per-step exchange (couplings.ts), the groups they read and write as NESTML neurons; network
// modulators are evaluated in that per-step loop and set into the NESTML neurons that read them, or whose paired
// synapses do (modulators.ts; refused there: mean(POP.var), rate() of poisson_count inputs and astrocytes).

import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { IRProgram, IRProjection } from "../../../compiler/ir/nodes.js";
import type { Emitter, EmitResult } from "../../target.js";
import { TargetError } from "../../target.js";
import { evalExpr } from "../../network/eval.js";
import { networkData } from "../network-data.js";
import { countSourceRefusals } from "../count-sources.js";
import { refusal, synapseRecordNote } from "../refuse.js";
import { synapseRecordPlan } from "../synapse-records.js";
import { staticWeight } from "./match.js";
import { matchIafPscExpStimulated } from "./currents.js";
import { needsRelay, relayNote } from "./relays.js";
import { matchIzhikevich } from "./match-izhikevich.js";
import { matchIafCondExp } from "./match-cond.js";
import { matchAeifCondAlphaAstro, matchAeifCondExp } from "./match-aeif.js";
import { planAstro } from "./match-astro.js";
import { ownClockRefusals } from "./astro-clock.js";
import { astroSpikeInput } from "./astro-exchange.js";
import { matchHhPscAlpha } from "./match-hh.js";
import { plasticWhy } from "./match-synapse.js";
import { matchTsodyks, type TsodyksBinding } from "./match-tsodyks.js";
import { nestScript, recordable, type Binding } from "./script.js";
import { nestmlNeuron, nestmlSynapse, stimulatedInputs, type NestmlSynapseBinding } from "./nestml.js";
import { pairedVariable, postPort, postReadWhy, readSpan } from "./post-ports.js";
import { nestmlModule } from "./nestml-module.js";
import { planCoupling, type Coupling } from "./couplings.js";
import {
  groupModulators,
  groupReadingModulators,
  modParam,
  modulatorNote,
  modulatorOf,
  modulatorRefusals,
  synapseReadingModulators,
} from "./modulators.js";
import { PASSES } from "../../../compiler/pipeline.js";
import { runPasses } from "../../../compiler/passes/manager.js";

export const nestExporter: Emitter<IRProgram> = {
  name: "nest",
  emit(ir0, options): EmitResult {
    const diagnostics: Diagnostic[] = [];
    const say = (span: Parameters<typeof refusal>[1], what: string, hint?: string): void => {
      diagnostics.push(refusal("nest", span ?? ir0.spans?.network, what, hint));
    };
    // network modulators: evaluated by run.py before every step (modulators.ts), or refused at the construct
    diagnostics.push(...modulatorRefusals(ir0));
    const group = (name: string): IRProgram["groups"][number] | undefined => ir0.groups.find((g) => g.name === name);
    const astro = (name: string): boolean => group(name)?.kind === "astrocyte";
    const callsExp = (name: string): boolean =>
      JSON.stringify([group(name)?.odes, group(name)?.aliases]).includes('"fn":"exp"');
    if (diagnostics.length > 0) return { diagnostics };
    let data;
    try {
      data = networkData(ir0);
    } catch (e) {
      if (e instanceof TargetError) return { diagnostics: [refusal("nest", ir0.spans?.network, e.message)] };
      throw e;
    }
    diagnostics.push(...countSourceRefusals("nest", ir0, data));
    if (diagnostics.length > 0) return { diagnostics };
    // glia's step per group after the passes (solve-odes: the method's update), which NESTML neurons run as written
    const discrete = runPasses(ir0, PASSES).ir;
    // astrocytes: astrocyte_lr_1994, sic_connection and tripartite synapses (match-astro.ts); an ensheathed
    // projection's primary synapse is matched below as any other
    const astros = planAstro(ir0, data.groupScalars, (n) => data.projections.get(n)!);
    // astrocytes on their own clock: NESTML neurons with a step counter, their spike inputs static synapses, their
    // couplings run.py's exchange (astro-exchange.ts); what NEST cannot run refused (astro-clock.ts), never as "not
    // astrocyte_lr_1994"
    const clock = ownClockRefusals(ir0);
    for (const r of clock.refusals) say(r.span, r.what, r.hint);
    const clockSpans = new Set(ir0.groups.filter((g) => clock.groups.has(g.name)).map((g) => g.modelSpan ?? g.span));
    for (const r of astros.refusals) if (!clockSpans.has(r.span)) say(r.span, r.what);
    const spikeInput = (p: IRProjection): IRProjection => {
      if (!clock.groups.has(p.post.population) || p.continuous.length > 0) return p;
      const f = astroSpikeInput(p, group(p.post.population)!, data.groupScalars.get(p.post.population)!);
      if (f.ok) return f.projection;
      say(f.span, `the synapse ${p.synapse} of ${p.name} onto the astrocytes ${p.post.population}: ${f.why}`);
      return p;
    };
    const ir: IRProgram = {
      ...ir0,
      projections: ir0.projections.map((p) =>
        astros.plan.ensheathed.has(p.name) ? { ...p, ensheathedBy: null } : spikeInput(p),
      ),
    };
    const sic = astros.plan.sic;
    // synapses: static_synapse (`post.S += w`), tsodyks2_synapse (match-tsodyks.ts), or refused with each reason
    const stp = new Map<string, TsodyksBinding>();
    // synapses no built-in is, as NESTML synapses (nestml.ts): the binding and the post variable it adds to
    const nestmlSyn = new Map<string, NestmlSynapseBinding>();
    // projections whose NESTML synapse reads post state: how (post-ports.ts) and which variables
    const postReads = new Map<string, string[]>();
    // continuous couplings: run.py's per-step exchange between NESTML neurons (couplings.ts)
    const couplings = new Map<string, Coupling>();
    for (const p of ir.projections) {
      // a coupling from a matched astrocyte is sic_connection or refused by planAstro with its reason; one from
      // astrocytes on their own clock was refused above (astro-clock.ts)
      if (astros.plan.astro.has(p.pre.population) && p.continuous.length > 0) continue;
      // synapses onto (folded above) or ensheathed by astrocytes on their own clock (refused by astro-clock.ts)
      if (clock.groups.has(p.post.population) && p.continuous.length === 0) continue;
      if (p.ensheathedBy && clock.groups.has(p.ensheathedBy.astrocytes)) continue;
      // (a coupling from an astrocyte NEST has no astrocyte_lr_1994 for is refused below with sic_connection's reason)
      const clocked = clock.groups.has(p.pre.population);
      if (p.continuous.length > 0 && !astro(p.post.population) && (clocked || !astro(p.pre.population))) {
        const info = data.projections.get(p.name)!;
        const c = planCoupling(
          p,
          discrete.projections.find((d) => d.name === p.name)!,
          group(p.pre.population),
          group(p.post.population),
          info.scalars,
          info.columns,
        );
        if (c.ok) couplings.set(p.name, c.coupling);
        else say(c.span ?? p.span, `the synapse ${p.synapse} of ${p.name}: ${c.why}`);
        continue;
      }
      if (astro(p.post.population)) {
        say(
          p.handlerSpans?.pre ?? p.modelSpan ?? p.span,
          `the synapse ${p.synapse} of ${p.name} onto the astrocytes ${p.post.population}`,
          "NEST's astrocyte_lr_1994 hears spikes through tripartite synapses: write `ensheath PROJ with ASTROCYTES` and `on synapse_pre { IP3 += c }`",
        );
        continue;
      }
      if (staticWeight(p)) continue;
      const t = matchTsodyks(p, data.projections.get(p.name)!.scalars);
      if (t.ok) {
        stp.set(p.name, t.binding);
        continue;
      }
      const why = plasticWhy(p, astro(p.pre.population), callsExp(p.post.population), t.why);
      const info = data.projections.get(p.name)!;
      const n = p.ensheathedBy
        ? undefined
        : nestmlSynapse(
            // mod.NAME read as post.glia_mod_NAME, the NESTML neuron's copy (modulators.ts)
            synapseReadingModulators(p),
            synapseReadingModulators(discrete.projections.find((d) => d.name === p.name)!),
            `glia_${p.name.replace(/[^A-Za-z0-9_]/g, "_")}_synapse`,
            info.scalars,
          );
      // NESTML counts a synapse's whole delay as dendritic, ordering postsynaptic spikes by it: with `on post` (or t)
      // and a delay, the presynaptic spikes are relayed by parrot_neurons after glia's delay (relays.ts). A post read
      // with a delay stays refused: NEST hands the synapse the value when the spike is sent, not when it arrives
      const late = [...info.delays].filter((d) => d > 0);
      const readsPost = n?.ok === true && n.postReads!.length > 0;
      if (readsPost && late.length > 0) {
        say(
          p.span,
          `the delay of ${Math.min(...late)}${late.length > 1 ? ` to ${Math.max(...late)}` : ""} step${Math.max(...late) > 1 ? "s" : ""} of ${p.name}'s synapse ${p.synapse}, which has a handler reading ${modulatorOf(ir, n.postReads![0]!) !== undefined ? `mod.${modulatorOf(ir, n.postReads![0]!)}` : `post.${n.postReads![0]}`} (NEST hands it the value when the spike is sent, not when it arrives)`,
          "without a delay (glia's default) the export is exact",
        );
        continue;
      }
      if (n?.ok) {
        // a projection whose NESTML synapse is another projection's but for its name shares that model (one
        // neuron-synapse pair for both: examples/soft_hebbian_wta.glia's two SoftHebb inputs onto outputs)
        const twin = [...nestmlSyn.values()].find((b) => b.text === n.binding.text.replaceAll(n.binding.name, b.name));
        // post.X read: a continuous port paired with the neuron's copy of X (post-ports.ts)
        nestmlSyn.set(p.name, {
          ...n.binding,
          ...(twin ? { name: twin.name, text: twin.text } : {}),
          target: n.target!,
          postPorts: n.postReads!.map((x) => [postPort(x), pairedVariable(x)]),
          state: n.state!,
          variables: new Set(n.variables!),
          relay: needsRelay(p, info.delays),
        });
        if (n.postReads!.length > 0) postReads.set(p.name, n.postReads!);
      } else
        say(
          (n && !n.ok ? n.span : undefined) ?? p.handlerSpans?.pre ?? p.modelSpan ?? p.span,
          `the synapse ${p.synapse} of ${p.name}: no NEST built-in synapse (${why})${n && !n.ok ? ` and no NESTML synapse: ${n.why}` : ""}`,
          "`on pre { post.S += w }` maps onto static_synapse, Tsodyks-Markram short-term plasticity onto tsodyks2_synapse; other synapses become NESTML synapses when NESTML can express them",
        );
    }
    // NESTML's synapses with `on post` or reading post state are generated together with their postsynaptic neuron
    // (one pair a neuron)
    const pairs = new Map<string, string>();
    for (const p of ir.projections)
      if (nestmlSyn.has(p.name) && (p.onPost.length > 0 || postReads.has(p.name))) {
        const other = pairs.get(p.post.population);
        if (other !== undefined && nestmlSyn.get(other)!.text !== nestmlSyn.get(p.name)!.text)
          say(
            p.onPost.length > 0 ? (p.handlerSpans?.post ?? p.span) : readSpan(p, "post", postReads.get(p.name)![0]!),
            `the synapse ${p.synapse} of ${p.name}: a second NESTML synapse with \`on post\` or reading post state onto ${p.post.population} (NESTML generates one neuron-synapse pair a neuron here; ${other} is the first)`,
          );
        else pairs.set(p.post.population, p.name);
      }
    // post reads NEST hands the synapse as glia's handlers see them, or refused (post-ports.ts)
    for (const [proj, read] of postReads) {
      const p = ir.projections.find((x) => x.name === proj)!;
      const added = new Set(
        ir.projections
          .filter((q) => q.post.population === p.post.population)
          .map((q) => nestmlSyn.get(q.name)?.target ?? stp.get(q.name)?.target ?? staticWeight(q)?.target),
      );
      const post = discrete.groups.find((g) => g.name === p.post.population)!;
      for (const x of read) {
        if (modulatorOf(ir, x) !== undefined) continue; // a modulator: the neuron's parameter (modulators.ts)
        const why = postReadWhy(post, x, added);
        if (why)
          say(
            readSpan(p, "post", x),
            `the synapse ${p.synapse} of ${p.name} reading post.${x}: ${why}`,
            "a NESTML synapse reads its postsynaptic neuron's state variables through continuous ports (not its inputs, nor a variable synapses add to)",
          );
      }
    }
    if (diagnostics.length > 0) return { diagnostics };
    const bindings = new Map<string, Binding>();
    const nestmlGroup = (g: IRProgram["groups"][number], incoming: IRProjection[], why: string): void => {
      const targets = [
        ...new Set(
          incoming.map((p) => nestmlSyn.get(p.name)?.target ?? stp.get(p.name)?.target ?? staticWeight(p)!.target),
        ),
      ];
      const paired = postReads.get(pairs.get(g.name) ?? "");
      // the modulators the group and its paired synapse read: parameters glia_mod_NAME run.py sets (modulators.ts)
      const mods = ir.modulators
        .map((m) => m.name)
        .filter((m) => groupModulators(ir, g).includes(m) || (paired ?? []).includes(modParam(m)));
      const n = nestmlNeuron(
        groupReadingModulators(ir, g, mods),
        groupReadingModulators(
          ir,
          discrete.groups.find((d) => d.name === g.name)!,
          mods,
        ),
        `glia_${g.name.replace(/[^A-Za-z0-9_]/g, "_")}_neuron`,
        targets,
        data.groupScalars.get(g.name),
        stimulatedInputs(ir0.currents, g.name),
        paired,
      );
      if (n.ok) bindings.set(g.name, n.binding);
      else
        say(
          n.span ?? g.modelSpan ?? g.span,
          `${g.model} of ${g.name}: ${why}, and no NESTML neuron: ${n.why}`,
          "NEST built-ins matched: iaf_psc_exp, izhikevich, iaf_cond_exp, aeif_cond_exp, hh_psc_alpha, aeif_cond_alpha_astro, astrocyte_lr_1994; other groups become NESTML neurons when NESTML can express them",
        );
    };
    for (const g of ir.groups) {
      const a = astros.plan.astro.get(g.name);
      if (a) {
        bindings.set(g.name, a);
        methodNote(a, g, ir, diagnostics);
        continue;
      }
      const incoming = ir.projections.filter(
        (p) => p.post.population === g.name && !sic.has(p.name) && !couplings.has(p.name),
      );
      if (clock.groups.has(g.name)) {
        nestmlGroup(g, incoming, "astrocytes on their own clock (no NEST built-in steps every k steps)");
        continue;
      }
      if (g.kind === "astrocyte") continue; // refused by planAstro
      const sign = (p: IRProjection): number => {
        const info = data.projections.get(p.name)!;
        const t = stp.get(p.name);
        if (t) return t.weight < 0 ? -1 : 1;
        try {
          const w = evalExpr(staticWeight(p)!.weight, (r) => info.scalars.get(r.name));
          return w < 0 ? -1 : 1;
        } catch {
          return 0; // per-synapse weights: either sign
        }
      };
      const scalars = data.groupScalars.get(g.name)!;
      if (pairs.has(g.name) || incoming.some((p) => nestmlSyn.has(p.name))) {
        nestmlGroup(g, incoming, `the postsynaptic neuron of a NESTML synapse`);
        continue;
      }
      if (groupModulators(ir, g).length > 0) {
        nestmlGroup(g, incoming, `a group reading a network modulator (run.py sets it into a NESTML neuron)`);
        continue;
      }
      // a group a continuous coupling reads or writes: a NESTML neuron, whose state and inputs run.py reads and sets
      // in glia's SI values every step (couplings.ts)
      const coupled = [...couplings.values()].find((c) => c.pre === g.name || c.post === g.name);
      if (coupled) {
        nestmlGroup(g, incoming, `a group the continuous coupling ${coupled.projection} reads or writes`);
        continue;
      }
      const m = matchIafPscExpStimulated(g, ir, scalars, incoming, sign, (p) => stp.get(p.name)?.target);
      const izh = m.ok ? undefined : matchIzhikevich(g, scalars, incoming);
      const cond = m.ok || izh?.ok ? undefined : matchIafCondExp(g, scalars, incoming, sign);
      const aeif = m.ok || izh?.ok || cond?.ok ? undefined : matchAeifCondExp(g, scalars, incoming, sign);
      const hh = m.ok || izh?.ok || cond?.ok || aeif?.ok ? undefined : matchHhPscAlpha(g, scalars, incoming, sign);
      const alpha =
        m.ok || izh?.ok || cond?.ok || aeif?.ok || hh?.ok
          ? undefined
          : matchAeifCondAlphaAstro(g, scalars, incoming, sign);
      const binding: Binding | undefined = [m, izh, cond, aeif, hh, alpha].find((x) => x?.ok === true)?.binding;
      if (binding) {
        bindings.set(g.name, binding);
        methodNote(binding, g, ir, diagnostics);
      } else
        nestmlGroup(
          g,
          incoming,
          `its equations are no NEST built-in's (iaf_psc_exp: ${(m as { why: string }).why}; izhikevich: ${(izh as { why: string }).why}; iaf_cond_exp: ${(cond as { why: string }).why}; aeif_cond_exp: ${(aeif as { why: string }).why}; hh_psc_alpha: ${(hh as { why: string }).why}; aeif_cond_alpha_astro: ${(alpha as { why: string }).why})`,
        );
    }
    // a current stimulus reaches a NESTML neuron's continuous port or iaf_psc_exp's current input (currents.ts); the
    // other built-ins' inputs (aeif_cond_alpha_astro's SIC) are not checked against NEST step for step
    ir.currents.forEach((c, n) => {
      const b = bindings.get(c.target.population);
      if (b && b.model !== "nestml" && !(b.model === "iaf_psc_exp" && b.stim?.has(c.variable)))
        say(
          ir.spans?.currents[n],
          `the current stimulus into ${c.target.population}.${c.variable}: ${c.target.population} is NEST's ${b.model}, current stimuli are exported only into a NESTML neuron's input and into an input iaf_psc_exp adds to its membrane as a current (checked step for step there)`,
        );
    });
    // NEST 3.10 connects sic_connection only to aeif_cond_alpha_astro
    for (const p of ir.projections.filter((x) => sic.has(x.name))) {
      const b = bindings.get(p.post.population);
      if (b && (b.model !== "aeif_cond_alpha_astro" || b.sic !== sic.get(p.name)!.input))
        say(
          p.handlerSpans?.continuous ?? p.span,
          `the coupling ${p.synapse} of ${p.name}: sic_connection reaches only aeif_cond_alpha_astro's SIC input, and ${p.post.population} is ${b.model}`,
        );
    }
    ir.monitors.forEach((m, n) => {
      const b = bindings.get(m.target.population);
      if (m.k === "state" && b && !recordable(b, m.variable!))
        say(
          ir.spans?.monitors[n],
          `the state record of ${m.target.population}.${m.variable}`,
          `NEST's ${b.model} has no recordable for ${m.variable}`,
        );
    });
    if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    const dir = options.out ?? ".";
    const ties = [...bindings.values()].some((b) => b.model !== "nestml" && b.strict);
    const module = nestmlModule(ir, bindings, nestmlSyn, pairs);
    // synapse records: a NESTML synapse's state read from its connections between chunks of the run (nest/script.ts)
    const records = synapseRecordPlan(ir, data, (m, p) => {
      const b = nestmlSyn.get(p.name);
      const v = m.variable!;
      if (!b || !module)
        return {
          ok: false,
          why: `NEST's ${stp.has(p.name) ? "tsodyks2_synapse" : "static_synapse"} holds no ${v} of glia's synapse model`,
        };
      if (b.relay)
        return {
          ok: false,
          why: `its presynaptic spikes reach the synapse through parrot_neurons (a delay with \`on post\`), whose connections are not read`,
        };
      // every synapse variable stays in the synapse (run.py: NESTML's strictly_synaptic_vars), in SI
      return {
        ok: true,
        python: `(${JSON.stringify(module.nestName.get(p.name))}, ${JSON.stringify(p.pre.population)}, ${JSON.stringify(p.post.population)}, ${JSON.stringify(v)})`,
      };
    });
    diagnostics.push(...records.errors);
    for (const u of records.unread) diagnostics.push(synapseRecordNote("nest", ir, u.monitor, u.why));
    if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    return {
      files: [
        {
          path: `${dir}/run.py`,
          content: nestScript(
            ir,
            bindings,
            data,
            options.file,
            stp,
            astros.plan,
            nestmlSyn,
            module,
            records.python,
            couplings,
          ),
        },
        ...(module?.files.map((f) => ({ path: `${dir}/${f.path}`, content: f.content })) ?? []),
        {
          path: `${dir}/README.md`,
          content:
            readme(ir, options.file, bindings, ties, stp, module !== undefined, nestmlSyn.size > 0, couplings) +
            relayNote([...nestmlSyn].filter(([, b]) => b.relay).map(([name]) => name)) +
            modulatorNote(ir, bindings),
        },
        ...[...data.files].map(([name, content]) => ({ path: `${dir}/data/${name}`, content })),
      ],
      diagnostics,
    };
  },
};

/** W1009 when glia integrates a matched group with another method than NEST's built-in. */
function methodNote(b: Binding, g: IRProgram["groups"][number], ir: IRProgram, diagnostics: Diagnostic[]): void {
  if (b.model === "nestml") return;
  // iaf_psc_exp integrates exactly, izhikevich with forward Euler (consistent_integration), iaf_cond_exp with GSL's
  // adaptive RKF45, which glia's rk4 approaches (not step for step)
  const nestMethod = b.model === "iaf_psc_exp" ? "exact" : b.model === "izhikevich" ? "euler" : "rk4"; // cond, aeif, hh
  const how = { exact: "exactly", euler: "with forward Euler", rk4: "with GSL's adaptive RKF45" }[nestMethod];
  if (g.methodRequested !== null && g.methodRequested !== nestMethod)
    diagnostics.push({
      code: "W1009",
      severity: "warning",
      message: `NEST's ${b.model} integrates ${g.name} (${g.model}) ${how}; glia with ${g.methodRequested}`,
      span: g.modelSpan ?? g.span ?? ir.spans!.network,
      related: [],
      hint:
        nestMethod === "rk4"
          ? "spike times drift apart by the integration error; `method rk4` comes closest (traces within a tolerance)"
          : `spike times drift apart by the integration error; \`method ${nestMethod}\` gives step-identical runs`,
    });
}

function readme(
  ir: IRProgram,
  file: string,
  bindings: Map<string, Binding>,
  ties: boolean,
  stp: Map<string, TsodyksBinding>,
  nestml: boolean,
  nestmlSynapses: boolean,
  couplings: ReadonlyMap<string, Coupling>,
): string {
  const stpLines = [...stp].map(
    ([proj, t]) =>
      `- ${proj}: tsodyks2_synapse (U ${t.U}, tau_rec ${(t.tauRec * 1e3).toPrecision(6)} ms, tau_fac ${(t.tauFac * 1e3).toPrecision(6)} ms; NEST's u = U is glia's u = 0 before the first spike); its input reaches it through parrot_neurons (NEST's spike_generator sends only through static synapses)`,
  );
  const rows = [...bindings].map(([pop, b]) =>
    b.model === "astrocyte_lr_1994"
      ? `| ${pop} | astrocyte_lr_1994 | ${Object.entries(b.params)
          .map(([k, v]) => `${k} ${v.toPrecision(6)}`)
          .join(
            ", ",
          )} (uM, ms)${b.deltaIP3 !== undefined ? `, delta_IP3 ${b.deltaIP3.toPrecision(6)} uM` : ""}; GSL adaptive RKF45; its SIC reaches aeif_cond_alpha_astro one step later than glia's coupling |`
      : b.model === "nestml"
        ? `| ${pop} | NESTML ${b.name} | nestml/${b.name}.nestml, glia's equations with parameters and state from data/ (in SI, glia's values unchanged), integrated by glia's own step (its method's update with glia's numbers, computed in SI) |`
        : b.model === "hh_psc_alpha"
          ? `| ${pop} | hh_psc_alpha | C_m 100 pF, g_Na ${(b.gNa * 1e9).toPrecision(6)} nS, g_K ${(b.gK * 1e9).toPrecision(6)} nS, g_L ${(b.gL * 1e9).toPrecision(6)} nS, E_Na ${(b.eNa * 1e3).toPrecision(6)} mV, E_K ${(b.eK * 1e3).toPrecision(6)} mV, E_L ${(b.eL * 1e3).toPrecision(6)} mV (glia's constant current folded in), t_ref ${b.tRefSteps} steps; ${b.syn.map((s) => `${s.i} -> I_syn_${s.port} (alpha, tau ${(s.tau * 1e3).toPrecision(6)} ms)`).join(", ")}; GSL adaptive RKF45; spikes at V's peak above 0 mV (glia: V' < 0 at the step's end, NEST: V fell in the step; within one step) |`
          : b.model === "izhikevich"
            ? `| ${pop} | izhikevich | a ${b.a}, b ${b.b}, c ${b.c} mV, d ${b.d} mV, V_th ${b.vTh} mV, I_e ${b.iE} (glia ${b.v} = ${b.k} x V_m, ${b.u} = ${b.k} x U_m); forward Euler (consistent_integration) |`
            : b.model === "aeif_cond_exp" || b.model === "aeif_cond_alpha_astro"
              ? `| ${pop} | ${b.model} | C_m ${(b.cm * 1e12).toPrecision(6)} pF, g_L ${(b.gL * 1e9).toPrecision(6)} nS, E_L ${(b.eL * 1e3).toPrecision(6)} mV, Delta_T ${(b.deltaT * 1e3).toPrecision(6)} mV, V_T ${(b.vT * 1e3).toPrecision(6)} mV, V_peak ${(b.vPeak * 1e3).toPrecision(6)} mV, V_reset ${(b.vReset * 1e3).toPrecision(6)} mV, a ${(b.a * 1e9).toPrecision(6)} nS, b ${(b.b * 1e12).toPrecision(6)} pA, tau_w ${(b.tauW * 1e3).toPrecision(6)} ms (glia ${b.w} = w / ${(b.wScale * 1e12).toPrecision(6)} pA); GSL adaptive RKF45, reset inside the step |`
              : b.model === "iaf_cond_exp"
                ? `| ${pop} | iaf_cond_exp | tau_m ${(b.tauM * 1e3).toPrecision(6)} ms, E_L ${(b.eL * 1e3).toPrecision(6)} mV, V_th ${(b.vTh * 1e3).toPrecision(6)} mV, V_reset ${(b.vReset * 1e3).toPrecision(6)} mV, t_ref ${b.tRefSteps} steps; ${b.syn.map((s) => `${s.name} -> g_${s.port} (${(s.scale * 1e9).toPrecision(6)} nS per unit, E ${(s.eRev * 1e3).toPrecision(6)} mV, tau ${(s.tau * 1e3).toPrecision(6)} ms)`).join(", ")}; GSL adaptive RKF45 |`
                : `| ${pop} | iaf_psc_exp | tau_m ${(b.tauM * 1e3).toPrecision(6)} ms, E_L ${(b.eL * 1e3).toPrecision(6)} mV, V_th ${(b.vTh * 1e3).toPrecision(6)} mV, V_reset ${(b.vReset * 1e3).toPrecision(6)} mV, t_ref ${b.tRefSteps} steps; ${b.syn.map((s) => `${s.name} -> I_syn_${s.port} (tau ${(s.tau * 1e3).toPrecision(6)} ms)`).join(", ")} |`,
  );
  return `# ${ir.network} for NEST

Exported by glia from \`${file}\` (\`glia export ${file} --to nest -o DIR\`). \`python run.py --out OUT [--threads T]\`
writes spikes.csv and summary.json in the format of \`glia run --out\` (and traces.csv, rates.csv, synapses.csv for state,
rate and synapse records).

| population | NEST model | parameters (from glia's equations) |
|---|---|---|
${rows.join("\n")}

How NEST's run differs from glia's (the tolerance the tests state):
- NEST's delays are at least one step: a zero-delay synapse between neurons acts one step later than in glia
  (inputs are shifted so that their timing is glia's exactly).${nestmlSynapses ? "\n- NESTML synapses run glia's handlers at glia's times (the traces' closed-form advance over glia's elapsed time, in SI),\n  postsynaptic spikes before the presynaptic spike's step first; NEST hands a synapse the postsynaptic spikes with its next\n  presynaptic one, so synapses_final.csv holds each synapse's state after its last presynaptic spike." : ""}${stpLines.length > 0 ? `\n${stpLines.join("\n")}` : ""}${ties ? "\n- glia spikes when V > V_th, NEST when V >= V_th: the same except on an exact tie." : ""}
- iaf_psc_exp integrates exactly, as glia's \`method exact\`; izhikevich with forward Euler, as glia's \`method euler\`;
  with another method glia's spikes can move. iaf_cond_exp integrates with GSL's adaptive RKF45 (no glia method is
  that; \`method rk4\` comes closest): traces agree within a tolerance, spikes within a step.${
    ir.sources.some((x) => x.k === "poisson_count")
      ? "\n- poisson_count inputs are poisson_generators (one per distinct rate): NEST draws an independent Poisson train per\n  connection, several events in a step as one spike with multiplicity: glia's counts in distribution, not its draws."
      : ""
  }${
    ir.currents.length > 0
      ? "\n- current stimuli are dc_generators, one per stretch of nonzero value, into a NESTML neuron's continuous port or\n  iaf_psc_exp's current input: a device's current acts one step after its start, so every stretch starts and stops one\n  step early; steps 0 and 1, which no device reaches, run one at a time with the stimuli's values as the neuron's\n  constant current (I_e, or the NESTML neuron's stim_head_X), put back to 0 after them (glia's steps exactly)."
      : ""
  }${
    couplings.size > 0
      ? `\n- continuous couplings (${[...couplings.keys()].join(", ")}): run.py runs one step at a time and, before each step, evaluates\n  them from the NESTML neurons' state (numpy, glia's order) into their inputs: glia's phase 0 exactly (not under MPI).`
      : ""
  }${
    ir.monitors.some((m) => m.k === "synapse")
      ? "\n- synapse records: the run goes in chunks to each record point and reads the NESTML synapses' connections; a NESTML\n  synapse applies a postsynaptic spike's change when the next presynaptic spike reaches it, so a weight read between\n  the two lacks it."
      : ""
  }

Threads: \`--threads T\` sets \`local_num_threads\`. MPI (a NEST built with MPI, as test/peers/install.sh builds it):
\`mpirun -np P python run.py --vps V\` runs over P processes with V virtual processes in all; the same V gives the same
spikes for any P dividing it (rank 0 merges every process's records and writes OUT).${nestml ? "\nNESTML: the first run generates and builds nestml/*.nestml into nestml_build/ (NESTML 8.3.0, a C++ compiler and NEST's\nheaders needed); later runs load the built module." : ""}
`;
}
