// Rule: `connect` items. Pre/post populations (E0206, E0503), the synapse model (E0203) and its
// arguments, the connection rule and its arguments (E0213, E0506, E0502, E0508, E0503), onto
// (E0504, E0505), delays (E0512), then the synapse's dimension rules for each pre/post pair.
// In: the NetContext; out: diagnostics.

import { unknownModelHint } from "../stdlib-index.js";
import type { Arg, Expr, ModelDef } from "../../syntax/ast.js";
import type { Span } from "../../diagnostics/span.js";
import { DIM, closest, dimEq, evalUnit, formatDim, isDimensionless, type Dim } from "../../units/units.js";
import type { ListColumns } from "../../syntax/list-columns.js";
import { constValue, isIntegral } from "../const-value.js";
import { asNumber } from "../dims.js";
import type { ConnectItem, NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { ModelEnv, type Instance } from "../model-env.js";
import { forEachExpr, forEachStmt } from "../walk.js";
import { checkModelArgs, matchArgs, type ArgSpec } from "./args.js";
import { resolvePopRef, type ResolvedRef } from "./poprefs.js";
import { runDimensionRules } from "./model-dims.js";
import { checkDataFile } from "./data-files.js";

export const CONNECT_RULES: Record<string, ArgSpec[]> = {
  all_to_all: [],
  one_to_one: [],
  fixed_probability: [{ name: "p", required: true }],
  fixed_indegree: [{ name: "n", aliases: ["k"], required: true }],
  fixed_outdegree: [{ name: "n", aliases: ["k"], required: true }],
  fixed_total_number: [{ name: "n", aliases: ["N"], required: true }],
  from_list: [
    { name: "pre", required: true },
    { name: "post", required: true },
  ],
  csv_list: [{ name: "file", required: true }],
};

const sum = (refs: (ResolvedRef | undefined)[]): number | undefined =>
  refs.every((r) => r?.count !== undefined) ? refs.reduce((acc, r) => acc + r!.count!, 0) : undefined;

export function checkConnects(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) if (item.kind === "Connect") checkConnect(item, net, env);
}

function checkConnect(item: ConnectItem, net: NetContext, env: NetEnv): void {
  const diags = env.diags;
  const pres = item.pre.map((r) => resolvePopRef(r, net, env, { sources: true, role: "a connection source" }));
  // an input source may receive a synapse that touches nothing of its post element (checkSourcePost)
  const posts = item.post.map((r) => resolvePopRef(r, net, env, { sources: true, role: "a connection target" }));
  const listCols = checkRule(item, net, env, pres, posts);
  if (item.delay) checkDelay(item.delay, env);

  const synapse = net.ctx.info.models.get(item.synapse);
  if (!synapse || synapse.modelKind !== "synapse") {
    const near = closest(
      item.synapse,
      [...net.ctx.info.models.values()].filter((m) => m.modelKind === "synapse").map((m) => m.name),
    );
    diags.error(
      "E0203",
      item.synapseSpan,
      synapse
        ? `${item.synapse} is a ${synapse.modelKind} model; connect needs a synapse model`
        : `unknown synapse model \`${item.synapse}\``,
      {
        related: synapse ? [{ span: synapse.nameSpan, message: "defined here" }] : [],
        hint: unknownModelHint(item.synapse, near, "define it with `synapse NAME { ... }` or import it"),
      },
    );
    item.args.forEach((a) => env.infer(a.value, { distributions: true, indices: true }));
    return;
  }
  const generic = checkModelArgs(
    synapse,
    item.synapseSpan,
    item.args,
    env,
    { distributions: true, indices: true },
    net.ctx.info,
    listCols === null || listCols?.weight ? ["w"] : [], // a malformed list (E0605) asks for nothing more
  );
  if (listCols) checkListColumns(item, synapse, listCols, generic, env);
  if (!checkSourcePost(item, synapse, posts, env)) checkOnto(item, synapse, posts, env);

  const label = item.name ?? `${item.pre.map((r) => r.name).join(",")} -> ${item.post.map((r) => r.name).join(",")}`;
  const astro = astroOf(item, net);
  const syms = net.ctx.info.symbols.get(synapse);
  if (!syms) return;
  const done = new Set<string>();
  for (const pre of pres) {
    for (const post of posts) {
      if (!pre || !post?.pop.model) continue;
      const key = `${pre.pop.model?.name ?? "<source>"}|${post.pop.model.name}`;
      if (done.has(key)) continue;
      done.add(key);
      const inst: Instance = {
        generic,
        pre: { population: pre.pop.name, model: pre.pop.model },
        post: { population: post.pop.name, model: post.pop.model },
        onto: item.onto?.name,
        astro,
        label,
        related: [
          {
            span: item.synapseSpan,
            message: `synapse ${synapse.name} used here, from ${pre.pop.name} to ${post.pop.name}`,
          },
        ],
      };
      runDimensionRules(new ModelEnv(syms, diags, net.ctx.info, inst));
    }
  }
}

/** The astrocyte model ensheathing a named projection; null if none; undefined if unknown/invalid. */
function astroOf(item: ConnectItem, net: NetContext): Instance["astro"] {
  const astroPop = item.name === undefined ? undefined : net.ensheathed.get(item.name);
  if (astroPop === undefined) return null;
  const model = net.pops.get(astroPop)?.model;
  return model?.modelKind === "astrocyte" ? { population: astroPop, model } : undefined;
}

function checkOnto(item: ConnectItem, synapse: ModelDef, posts: (ResolvedRef | undefined)[], env: NetEnv): void {
  let writes: Span | undefined;
  for (const h of synapse.handlers) {
    forEachStmt(h.body, (s) => {
      if (
        !writes &&
        s.kind === "Assign" &&
        s.target.kind === "Member" &&
        s.target.object === "post" &&
        s.target.name === "target"
      )
        writes = s.target.span;
    });
  }
  const postModels = posts.map((p) => p?.pop.model).filter((m): m is ModelDef => m !== undefined);
  const syms = (m: ModelDef) => env.net.ctx.info.symbols.get(m);
  if (writes && !item.onto && postModels.some((m) => !syms(m)?.byName.has("target"))) {
    env.diags.error(
      "E0505",
      item.synapseSpan,
      `synapse ${synapse.name} writes post.target, but this connect has no \`onto\``,
      {
        related: [{ span: writes, message: "post.target is written here" }],
        hint: "add `onto VAR` naming the input or state variable of the post population it adds to",
      },
    );
  }
  if (!item.onto) return;
  for (const m of postModels) {
    const table = syms(m);
    const sym = table?.byName.get(item.onto.name);
    if (sym && (sym.kind === "state" || sym.kind === "input")) continue;
    const candidates = [...m.inputs, ...m.state].map((d) => d.name);
    const near = closest(item.onto.name, candidates);
    env.diags.error(
      "E0504",
      item.onto.span,
      sym
        ? `\`${item.onto.name}\` is ${sym.kind === "alias" ? "an alias" : "a parameter"} of ${m.name}; onto needs a state variable or input`
        : `${m.name} has no state variable or input \`${item.onto.name}\``,
      {
        related: [{ span: m.nameSpan, message: `model of the post population` }],
        hint: near
          ? `did you mean \`${near}\`?`
          : `inputs and state of ${m.name}: ${candidates.join(", ") || "(none)"}`,
      },
    );
  }
}

function checkDelay(e: Expr, env: NetEnv): void {
  const ty = asNumber(env.infer(e, { distributions: true, indices: true }), e.span, env);
  if (ty.t !== "num") return;
  if (ty.dim && !dimEq(ty.dim, DIM.time)) {
    env.diags.error("E0512", e.span, `a delay must be a time, but this is ${formatDim(ty.dim)}`, {
      hint: "write e.g. `delay = 1.5 ms`",
    });
    return;
  }
  const v = constValue(e);
  if (v !== undefined && v < 0) env.diags.error("E0512", e.span, "a delay cannot be negative");
}

/**
 * A csv_list with a weight or delay column: the column sets the synapse parameter `w` (which must exist,
 * E0526) and the delay; an explicit `w` argument or `delay =` option as well is E0525 (no silent
 * precedence). A weight column with a unit (`weight_mV`) must match w's declared dimension (E0307) and
 * gives a generic w its dimension.
 */
function checkListColumns(
  item: ConnectItem,
  synapse: ModelDef,
  cols: ListColumns,
  generic: Map<string, Dim | undefined>,
  env: NetEnv,
): void {
  const file = item.rule.args[0]?.value ?? item.rule.args.find((a) => a.name === "file")?.value;
  const fileSpan = file?.span ?? item.rule.span;
  const fileName = file?.kind === "String" ? file.value : "the file";
  if (cols.weight) {
    const w = synapse.parameters.find((p) => p.name === "w");
    const given = item.args.find((a) => a.name === "w");
    if (!w) {
      env.diags.error(
        "E0526",
        fileSpan,
        `${fileName} has a weight column, but synapse ${synapse.name} has no parameter \`w\``,
        {
          related: [{ span: synapse.nameSpan, message: "synapse model defined here" }],
          hint: "the weight column sets the parameter `w`; declare `parameters { w }` or drop the column",
        },
      );
    } else if (given) {
      env.diags.error("E0525", given.span, `\`w\` is given here and by the weight column of ${fileName}`, {
        related: [{ span: fileSpan, message: "the file with the weight column" }],
        hint: "the file's weights are used only without a `w` argument: remove one of the two",
      });
    } else if (cols.weight.dim) {
      const declared = w.unit ? evalUnit(w.unit) : undefined;
      if (declared?.ok && !dimEq(declared.dim, cols.weight.dim)) {
        env.diags.error(
          "E0307",
          fileSpan,
          `the weight column of ${fileName} is in ${cols.weight.unit} but \`w\` of ${synapse.name} is in ${formatDim(declared.dim)}`,
          { related: [{ span: w.nameSpan, message: "declared here" }] },
        );
      } else if (!w.unit && !w.value) generic.set("w", cols.weight.dim);
    }
  }
  if (cols.delay && item.delay) {
    env.diags.error("E0525", item.delay.span, `the delay is given here and by the delay column of ${fileName}`, {
      related: [{ span: fileSpan, message: "the file with the delay column" }],
      hint: "the file's delays are used only without a `delay =` option: remove one of the two",
    });
  }
}

function checkRule(
  item: ConnectItem,
  net: NetContext,
  env: NetEnv,
  pres: (ResolvedRef | undefined)[],
  posts: (ResolvedRef | undefined)[],
): ListColumns | null | undefined {
  const rule = item.rule;
  const spec = CONNECT_RULES[rule.name];
  if (!spec) {
    const near = closest(rule.name, Object.keys(CONNECT_RULES));
    env.diags.error("E0213", rule.span, `unknown connection rule \`${rule.name}\``, {
      hint: near ? `did you mean \`${near}\`?` : `rules: ${Object.keys(CONNECT_RULES).join(", ")}`,
    });
    return undefined;
  }
  const args = matchArgs(rule.name, rule.span, rule.args, spec, env.diags);
  const preCount = sum(pres);
  const postCount = sum(posts);
  switch (rule.name) {
    case "fixed_probability": {
      const p = args.get("p");
      const v = p && dimensionlessConst(p, env, "E0506", "a probability");
      if (p && v !== undefined && (v < 0 || v > 1))
        env.diags.error("E0506", p.value.span, `probability ${v} is outside [0, 1]`);
      return;
    }
    case "fixed_indegree":
    case "fixed_outdegree": {
      const n = args.get("n");
      const v = n && dimensionlessConst(n, env, "E0502", "a degree");
      if (!n || v === undefined) return;
      if (!isIntegral(v) || v < 1) {
        env.diags.error("E0502", n.value.span, `the degree must be a positive integer, not ${v}`);
        return;
      }
      const pool = rule.name === "fixed_indegree" ? preCount : postCount;
      if (pool !== undefined && v > pool) {
        env.diags.error(
          "E0502",
          n.value.span,
          `cannot choose ${v} distinct ${rule.name === "fixed_indegree" ? "presynaptic" : "postsynaptic"} partners out of ${pool}`,
        );
      }
      return;
    }
    case "fixed_total_number": {
      const n = args.get("n");
      const v = n && dimensionlessConst(n, env, "E0502", "a synapse count");
      if (n && v !== undefined && (!isIntegral(v) || v < 0 || v >= 2 ** 31))
        env.diags.error(
          "E0502",
          n.value.span,
          `the total number of synapses must be an integer in [0, 2^31), not ${v}`,
        );
      else if (n && v !== undefined && v > 0 && (preCount === 0 || postCount === 0))
        env.diags.error("E0502", n.value.span, `cannot make ${v} synapses between empty populations`);
      return;
    }
    case "one_to_one":
      if (preCount !== undefined && postCount !== undefined && preCount !== postCount) {
        env.diags.error(
          "E0508",
          rule.span,
          `one_to_one needs as many pre as post elements, but there are ${preCount} and ${postCount}`,
          {
            hint: "use slices of equal length, e.g. exc[0:100] -> inh[0:100]",
          },
        );
      }
      return;
    case "from_list": {
      const pre = indexList(args.get("pre"), preCount, "pre", env);
      const post = indexList(args.get("post"), postCount, "post", env);
      if (pre !== undefined && post !== undefined && pre !== post) {
        env.diags.error("E0208", rule.span, `from_list: pre has ${pre} entries but post has ${post}`);
      }
      return;
    }
    case "csv_list": {
      const file = args.get("file");
      return file ? checkDataFile("csv_list", file.value, net.ctx.data, { preCount, postCount }, env.diags) : undefined;
    }
    default:
      return undefined;
  }
}

function dimensionlessConst(a: Arg, env: NetEnv, code: "E0506" | "E0502", what: string): number | undefined {
  const ty = asNumber(env.infer(a.value), a.value.span, env);
  if (ty.t !== "num") return undefined;
  if (ty.dim && !isDimensionless(ty.dim)) {
    env.diags.error(code, a.value.span, `${what} must be a plain number, but this is ${formatDim(ty.dim)}`);
    return undefined;
  }
  const v = constValue(a.value);
  if (v === undefined) env.diags.error(code, a.value.span, `${what} must be a constant`);
  return v;
}

/** A list of element indices below `limit` (E0503); returns its length. */
export function indexList(
  a: Arg | undefined,
  limit: number | undefined,
  what: string,
  env: NetEnv,
): number | undefined {
  if (!a) return undefined;
  if (a.value.kind !== "List") {
    env.diags.error("E0306", a.value.span, `${what} must be a list of indices: [0, 1, 2]`);
    return undefined;
  }
  for (const x of a.value.items) {
    const v = constValue(x);
    if (v === undefined || !isIntegral(v) || v < 0) {
      env.diags.error("E0503", x.span, `${what} indices must be non-negative integer constants`);
      return undefined;
    }
    if (limit !== undefined && v >= limit) {
      env.diags.error("E0503", x.span, `index ${v} is out of range: ${what} has ${limit} elements`);
      return undefined;
    }
  }
  return a.value.items.length;
}

/** The first `post.X` a synapse model reads or writes (handlers and continuous blocks), if any. */
function firstPostMember(synapse: ModelDef): { name: string; span: Span } | undefined {
  let hit: { name: string; span: Span } | undefined;
  const seen = (name: string, span: Span): void => {
    if (!hit || span.start < hit.span.start) hit = { name, span };
  };
  const exprs: Expr[] = [];
  forEachStmt(
    synapse.handlers.flatMap((h) => h.body),
    (s) => {
      if (s.kind === "If") exprs.push(s.cond);
      else exprs.push(s.value);
      if (s.kind === "Assign" && s.target.kind === "Member" && s.target.object === "post")
        seen(s.target.name, s.target.span);
    },
  );
  for (const q of synapse.equations) exprs.push(q.value);
  for (const e of exprs)
    forEachExpr(e, (x) => {
      if (x.kind === "Member" && x.object === "post") seen(x.name, x.span);
    });
  return hit;
}

/**
 * A connect onto an input source (Brian2's synapses between two SpikeGeneratorGroups): allowed when the
 * synapse reads and writes no post variable and no `onto` is given; its `on post` runs on the source's
 * spikes. Otherwise E0529. Returns true when some post population is a source (onto is then settled here).
 */
function checkSourcePost(
  item: ConnectItem,
  synapse: ModelDef,
  posts: (ResolvedRef | undefined)[],
  env: NetEnv,
): boolean {
  const source = posts.find((p) => p?.pop.source);
  if (!source) return false;
  const related = [{ span: source.pop.nameSpan, message: `${source.pop.name} is an input source, declared here` }];
  const member = firstPostMember(synapse);
  if (member) {
    env.diags.error(
      "E0529",
      member.span,
      `synapse ${synapse.name} uses post.${member.name}, but ${source.pop.name} (the post side of this connect) is an input source with no variables`,
      {
        related: [...related, { span: item.synapseSpan, message: "used here" }],
        hint: "a synapse onto an input source may only use its own variables (its on post runs on the source's spikes)",
      },
    );
  } else if (item.onto) {
    env.diags.error(
      "E0529",
      item.onto.span,
      `\`onto\` names a variable of ${source.pop.name}, an input source with no variables`,
      {
        related,
        hint: "remove `onto`: a synapse onto an input source adds to nothing",
      },
    );
  }
  return true;
}
