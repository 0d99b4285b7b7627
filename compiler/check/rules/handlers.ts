// Rule: statements of event handlers, `continuous` blocks and spike resets. Assignable targets
// (E0404, E0201, E0408), continuous blocks only add into inputs of post/pre (E0409), dimensions of
// assignments (E0301/E0303), boolean conditions (E0305), `let` names (E0202: declared once per block and the
// blocks inside it, hiding no declaration). In: a ModelEnv.

import type { LValue, Stmt } from "../../syntax/ast.js";
import type { Span } from "../../diagnostics/span.js";
import { closest, dimEq, formatDim, isDimensionless, isUnitSymbol } from "../../units/units.js";
import { ERR, asNumber, expectBool, num, type Ty } from "../dims.js";
import type { ModelEnv } from "../model-env.js";
import { checkDeclaredName } from "./names.js";

type Block = "on" | "continuous" | "reset";

export function checkHandlers(env: ModelEnv): void {
  for (const h of env.model.handlers) runBlock(h.body, env, h.event === "continuous" ? "continuous" : "on");
  if (env.model.spike) runBlock(env.model.spike.reset, env, "reset");
}

function runBlock(body: readonly Stmt[], env: ModelEnv, block: Block): void {
  env.pushBlock();
  for (const s of body) checkStmt(s, env, block);
  env.popBlock();
}

function checkStmt(s: Stmt, env: ModelEnv, block: Block): void {
  switch (s.kind) {
    case "Let": {
      const ty = env.infer(s.value);
      checkDeclaredName(env.diags, s.name, s.nameSpan);
      const sym = env.symbols.byName.get(s.name);
      if (env.lookupLocal(s.name)) {
        env.diags.error("E0202", s.nameSpan, `local \`${s.name}\` is already declared in this block or one around it`, {
          hint: `choose another name, or assign to it: \`${s.name} = ...\``,
        });
      } else if (sym) {
        env.diags.error("E0202", s.nameSpan, `local \`${s.name}\` hides the ${sym.kind} of the same name`, {
          related: [{ span: sym.span, message: "declared here" }],
          hint: "choose another name",
        });
      }
      env.declareLocal(s.name, ty.t === "err" ? num(undefined) : ty);
      return;
    }
    case "If":
      expectBool(env.infer(s.cond), s.cond.span, env, "an `if` condition must be a comparison or boolean");
      runBlock(s.then, env, block);
      runBlock(s.otherwise, env, block);
      return;
    case "Assign": {
      const target = targetTy(s.target, env, block, s.op);
      const value = asNumber(env.infer(s.value), s.value.span, env);
      if (target.t !== "num" || value.t !== "num" || !target.dim || !value.dim) return;
      const label = lvalueText(s.target);
      if (s.op === "*=" || s.op === "/=") {
        if (!isDimensionless(value.dim)) {
          env.diags.error(
            "E0303",
            s.value.span,
            `\`${s.op}\` needs a dimensionless factor, but this is ${formatDim(value.dim)}`,
            { related: env.related },
          );
        }
      } else if (!dimEq(target.dim, value.dim)) {
        env.diags.error(
          "E0301",
          s.span,
          `cannot ${s.op === "=" ? "assign" : s.op === "+=" ? "add" : "subtract"} ${formatDim(value.dim)} ${s.op === "=" ? "to" : s.op === "+=" ? "to" : "from"} \`${label}\` in ${formatDim(target.dim)}`,
          {
            related: env.related,
            hint: "both sides of an assignment must have the same dimension",
          },
        );
      }
      return;
    }
  }
}

function lvalueText(t: LValue): string {
  return t.kind === "Name" ? t.name : `${t.object}.${t.name}`;
}

const CONTINUOUS_HINT = "a continuous block adds into inputs of the neurons: `post.I += g * (pre.v - post.v)`";

/** The type of an assignment target, reporting what cannot be assigned. */
function targetTy(t: LValue, env: ModelEnv, block: Block, op: string): Ty {
  if (t.kind === "Name") {
    const local = env.lookupLocal(t.name);
    if (local) return local;
    if (block === "continuous") {
      env.diags.error(
        "E0409",
        t.span,
        `a continuous block may only add into inputs of post or pre, not assign \`${t.name}\``,
        { hint: CONTINUOUS_HINT },
      );
      return ERR;
    }
    if (["t", "dt", "pi", "e"].includes(t.name)) {
      env.diags.error("E0404", t.span, `\`${t.name}\` is a built-in and cannot be assigned`);
      return ERR;
    }
    const sym = env.symbols.byName.get(t.name);
    if (!sym) {
      const near = closest(t.name, env.candidates());
      env.diags.error("E0201", t.span, `\`${t.name}\` is not declared`, {
        hint: isUnitSymbol(t.name)
          ? `units are written after a number: 1 ${t.name}`
          : near
            ? `did you mean \`${near}\`?`
            : `declare it in \`state { ${t.name} = ... }\``,
      });
      return ERR;
    }
    if (sym.kind === "parameter" || sym.kind === "alias") {
      env.diags.error(
        "E0404",
        t.span,
        `\`${t.name}\` is ${sym.kind === "alias" ? "an alias" : "a parameter"} and cannot be assigned`,
        {
          related: [{ span: sym.span, message: "declared here" }],
          hint:
            sym.kind === "parameter"
              ? "move it to `state` if it changes during the run"
              : "aliases are computed from their definition",
        },
      );
      return ERR;
    }
    return env.symbolTy(sym);
  }
  if (env.model.modelKind !== "synapse") {
    env.diags.error(
      "E0408",
      t.objectSpan,
      `\`${t.object}.\` is only available in synapse models, not in ${env.model.modelKind} ${env.model.name}`,
    );
    return ERR;
  }
  if (block === "continuous" && op !== "+=" && op !== "-=") {
    env.diags.error(
      "E0409",
      t.span,
      `a continuous block may only add (\`+=\`/\`-=\`) into \`${t.object}.${t.name}\`, not \`${op}\``,
      { hint: CONTINUOUS_HINT },
    );
    return ERR;
  }
  const ty = env.resolvePeer(t.object, t.name, t.nameSpan, t.span);
  if (ty.t !== "err") checkPeerTarget(t, env, block);
  return ty;
}

/** In an instantiation: the peer variable must be state or input (inputs only, in continuous blocks). */
function checkPeerTarget(t: Extract<LValue, { kind: "Member" }>, env: ModelEnv, block: Block): void {
  const inst = env.instance;
  const peer = t.object === "pre" ? inst?.pre : inst?.post;
  if (!inst || !peer?.model) return;
  const syms = env.info.symbols.get(peer.model);
  const name = t.object === "post" && t.name === "target" && !syms?.byName.has("target") ? inst.onto : t.name;
  const sym = name === undefined ? undefined : syms?.byName.get(name);
  if (!sym || (name !== t.name && sym.kind !== "state" && sym.kind !== "input")) return; // bad onto: E0504 at the connect
  const shown = name === t.name ? `${t.object}.${t.name}` : `${t.object}.${t.name} (onto ${name})`;
  const where: Span = t.span;
  if (block === "continuous" && sym.kind !== "input") {
    env.diags.error(
      "E0409",
      where,
      `\`${shown}\` is ${sym.kind === "state" ? "a state variable" : `a ${sym.kind}`} of ${peer.model.name}; a continuous block may only add into inputs`,
      {
        related: [...inst.related, { span: sym.span, message: "declared here" }],
        hint: CONTINUOUS_HINT,
      },
    );
  } else if (sym.kind === "parameter" || sym.kind === "alias") {
    env.diags.error("E0404", where, `\`${shown}\` is a ${sym.kind} of ${peer.model.name} and cannot be assigned`, {
      related: [...inst.related, { span: sym.span, message: "declared here" }],
    });
  }
}
