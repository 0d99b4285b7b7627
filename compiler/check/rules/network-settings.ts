// Rule: network settings. `dt` positive time (E0513), `seed` a non-negative integer, `window = [FROM, TO]`
// two constant times 0 <= FROM < TO (E0530), each once (E0509); exactly one `run` with a time (E0501, E0509,
// E0309) of at least one step (E0516).
// In: the NetContext; out: diagnostics.

import type { Span } from "../../diagnostics/span.js";
import type { Expr } from "../../syntax/ast.js";
import { DIM, dimEq, formatDim, isDimensionless } from "../../units/units.js";
import { constValue, isIntegral } from "../const-value.js";
import { asNumber } from "../dims.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";

export function checkNetworkSettings(net: NetContext, env: NetEnv): void {
  const seen = new Map<string, Span>();
  const once = (name: string, span: Span): boolean => {
    const prev = seen.get(name);
    if (prev) {
      env.diags.error("E0509", span, `\`${name}\` is set twice in network ${net.network.name}`, {
        related: [{ span: prev, message: "first set here" }],
      });
      return false;
    }
    seen.set(name, span);
    return true;
  };
  let dt: number | undefined = 0.1e-3;
  let run: { value: number; span: Span } | undefined;
  for (const item of net.network.items) {
    if (item.kind === "Setting") {
      if (!once(item.name, item.span)) continue;
      if (item.name === "window") {
        checkWindow(item.value, env);
        continue;
      }
      const ty = asNumber(env.infer(item.value), item.value.span, env);
      if (ty.t !== "num") continue;
      const v = constValue(item.value);
      if (item.name === "dt") {
        dt = v;
        if ((ty.dim && !dimEq(ty.dim, DIM.time)) || v === undefined || !(v > 0)) {
          env.diags.error(
            "E0513",
            item.value.span,
            ty.dim && !dimEq(ty.dim, DIM.time)
              ? `dt must be a time, but this is ${formatDim(ty.dim)}`
              : "dt must be a positive constant time",
            {
              hint: "write e.g. `dt = 0.1 ms`",
            },
          );
        }
      } else if ((ty.dim && !isDimensionless(ty.dim)) || v === undefined || !isIntegral(v) || v < 0 || v >= 2 ** 32) {
        env.diags.error("E0303", item.value.span, "seed must be a plain non-negative integer below 2^32", {
          hint: "write e.g. `seed = 42`",
        });
      }
    } else if (item.kind === "Run") {
      if (!once("run", item.span)) continue;
      const ty = asNumber(env.infer(item.duration), item.duration.span, env);
      if (ty.t === "num" && ty.dim && !dimEq(ty.dim, DIM.time)) {
        env.diags.error(
          "E0309",
          item.duration.span,
          `the run duration must be a time, but this is ${formatDim(ty.dim)}`,
          { hint: "write e.g. `run 1 s`" },
        );
      } else if (ty.t === "num" && (constValue(item.duration) ?? -1) <= 0) {
        env.diags.error("E0309", item.duration.span, "the run duration must be a positive constant time", {
          hint: "write e.g. `run 1 s`",
        });
      } else if (ty.t === "num") run = { value: constValue(item.duration)!, span: item.duration.span };
    }
  }
  if (run && dt !== undefined && dt > 0 && Number.isFinite(run.value) && run.value < dt) {
    env.diags.error(
      "E0516",
      run.span,
      `the run (${run.value} s) is shorter than one step of dt = ${dt} s, so nothing would be simulated`,
      {
        related: seen.has("dt") ? [{ span: seen.get("dt")!, message: "dt is set here" }] : [],
        hint: "run for at least one dt, or make dt smaller",
      },
    );
  }
  if (!seen.has("run")) {
    env.diags.error("E0501", net.network.nameSpan, `network ${net.network.name} has no \`run\` statement`, {
      hint: "add `run 1 s` (or another duration) to the network",
    });
  }
}

/** `window = [FROM, TO]`: the rates' analysis window, two constant times with 0 <= FROM < TO (E0530). */
function checkWindow(value: Expr, env: NetEnv): void {
  const bad = (span: Span, message: string) =>
    env.diags.error("E0530", span, message, { hint: "write e.g. `window = [200 ms, 1 s]` (from, to; half-open)" });
  if (value.kind !== "List" || value.items.length !== 2) {
    bad(value.span, "the window must be a list of two times, [FROM, TO]");
    return;
  }
  const v: number[] = [];
  for (const e of value.items) {
    const ty = asNumber(env.infer(e), e.span, env);
    if (ty.t !== "num") return;
    const c = constValue(e);
    if ((ty.dim && !dimEq(ty.dim, DIM.time) && !(c === 0)) || c === undefined || c < 0) {
      bad(
        e.span,
        ty.dim && !dimEq(ty.dim, DIM.time)
          ? `a window end must be a time, but this is ${formatDim(ty.dim)}`
          : "a window end must be a non-negative constant time",
      );
      return;
    }
    v.push(c);
  }
  if (!(v[1]! > v[0]!)) bad(value.span, `the window's end (${v[1]} s) must come after its start (${v[0]} s)`);
}
