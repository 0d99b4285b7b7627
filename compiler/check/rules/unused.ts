// Rule: parameters and state variables nothing reads (W1001). Uses are counted in every section
// (values, equations, handlers, spike, refractory and clamp, exposes, dt), through pre./post. of any
// synapse, and in the network (record, mean(POP.var), onto). In: the program; out: warnings.

import type { Program, ModelDef } from "../../syntax/ast.js";
import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import { forEachExpr, forEachStmt, modelExprs } from "../walk.js";

export function checkUnused(program: Program, models: readonly ModelDef[], diags: Diagnostics): void {
  const peerUses = new Set<string>(); // names read or written through pre./post. anywhere
  const netUses = new Map<string, Set<string>>(); // model name -> names used by the network
  const popModel = new Map<string, string>();
  for (const f of program.files) {
    for (const n of f.networks) {
      for (const it of n.items) if (it.kind === "Population") popModel.set(it.name, it.model);
    }
  }
  const useIn = (model: string | undefined, name: string) => {
    if (!model) return;
    if (!netUses.has(model)) netUses.set(model, new Set());
    netUses.get(model)!.add(name);
  };
  for (const m of models) {
    for (const e of modelExprs(m)) {
      forEachExpr(e, (x) => {
        if (x.kind === "Member" && (x.object === "pre" || x.object === "post")) peerUses.add(x.name);
      });
    }
    forEachStmt(
      m.handlers.flatMap((h) => h.body),
      (s) => {
        if (s.kind === "Assign" && s.target.kind === "Member") peerUses.add(s.target.name);
      },
    );
  }
  for (const f of program.files) {
    for (const n of f.networks) {
      for (const it of n.items) {
        if (it.kind === "Record") for (const t of it.targets) useIn(popModel.get(t.name), it.what);
        if (it.kind === "Connect" && it.onto) for (const t of it.post) useIn(popModel.get(t.name), it.onto.name);
        if (it.kind === "Modulator") {
          forEachExpr(it.value, (x) => {
            if (x.kind === "Member" && typeof x.object === "object") useIn(popModel.get(x.object.population), x.name);
          });
        }
      }
    }
  }
  for (const m of models) {
    const used = new Set<string>();
    for (const e of modelExprs(m)) {
      forEachExpr(e, (x) => {
        if (x.kind === "Name") used.add(x.name);
      });
    }
    forEachStmt([...m.handlers.flatMap((h) => h.body), ...(m.spike?.reset ?? [])], (s) => {
      if (s.kind === "Assign" && s.target.kind === "Name") used.add(s.target.name);
    });
    for (const c of m.refractory?.clamp ?? []) used.add(c.name);
    const fromNet = netUses.get(m.name) ?? new Set<string>();
    const fromPeers = m.modelKind === "synapse" ? new Set<string>() : peerUses;
    const recordedAnywhere = (name: string) => fromNet.has(name) || fromPeers.has(name);
    for (const [list, kind] of [
      [m.parameters, "parameter"],
      [m.state, "state variable"],
    ] as const) {
      for (const d of list) {
        if (used.has(d.name) || recordedAnywhere(d.name)) continue;
        diags.warning("W1001", d.nameSpan, `${kind} \`${d.name}\` of ${m.name} is never used`, {
          hint: "remove it, or use it in an equation, handler or record",
        });
      }
    }
  }
}
