// Rule: which sections a model kind may have (E0401), each at most once (E0402), handlers for the
// right events, refractory needs a spike rule (E0407), known integration method (E0212).
// In: a model; out: diagnostics.

import type { ModelDef, ModelKind, SectionMark, Handler } from "../../syntax/ast.js";
import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { closest } from "../../units/units.js";
import { METHODS } from "../../builtins/settings.js";

type Section = SectionMark["section"];

const ALLOWED: Record<ModelKind, readonly Section[]> = {
  neuron: ["parameters", "state", "inputs", "equations", "spike", "refractory", "method"],
  astrocyte: ["parameters", "state", "inputs", "equations", "method", "dt", "on", "expose"],
  synapse: ["parameters", "state", "equations", "on", "continuous", "method"],
};

const EVENTS: Record<ModelKind, readonly Handler["event"][]> = {
  neuron: [],
  astrocyte: ["synapse_pre", "synapse_post"],
  synapse: ["pre", "post", "continuous"],
};

/** Sections that may repeat: `on` (one per event, checked separately) and `expose` (one per value). */
const REPEATABLE: readonly Section[] = ["on", "expose"];

const SECTION_LABEL: Partial<Record<Section, string>> = { spike: "spike when", on: "on" };

export function checkSections(m: ModelDef, diags: Diagnostics): void {
  const allowed = ALLOWED[m.modelKind];
  const seen = new Map<Section, Span>();
  for (const s of m.sections) {
    const label = SECTION_LABEL[s.section] ?? s.section;
    if (!allowed.includes(s.section)) {
      diags.error("E0401", s.span, `a ${m.modelKind} cannot have a \`${label}\` section`, {
        hint: `${m.modelKind} sections: ${allowed.map((a) => SECTION_LABEL[a] ?? a).join(", ")}`,
      });
      continue;
    }
    if (REPEATABLE.includes(s.section) || s.section === "continuous") continue;
    const prev = seen.get(s.section);
    if (prev) {
      diags.error("E0402", s.span, `\`${label}\` appears twice in ${m.name}`, {
        related: [{ span: prev, message: "first here" }],
        hint: "merge the two sections",
      });
    } else seen.set(s.section, s.span);
  }
  const events = new Map<string, Span>();
  for (const h of m.handlers) {
    const label = h.event === "continuous" ? "continuous" : `on ${h.event}`;
    const sectionOk = allowed.includes(h.event === "continuous" ? "continuous" : "on");
    if (!EVENTS[m.modelKind].includes(h.event)) {
      if (sectionOk) {
        const ok = EVENTS[m.modelKind].filter((x) => x !== "continuous").map((x) => `on ${x}`);
        diags.error("E0401", h.span, `a ${m.modelKind} has no \`${label}\` event`, {
          hint: ok.length ? `${m.modelKind} events: ${ok.join(", ")}` : undefined,
        });
      }
      continue;
    }
    const prev = events.get(h.event);
    if (prev)
      diags.error("E0402", h.span, `\`${label}\` appears twice in ${m.name}`, {
        related: [{ span: prev, message: "first here" }],
        hint: "merge the two handlers",
      });
    else events.set(h.event, h.span);
  }
  if (m.refractory && !m.spike && m.modelKind === "neuron") {
    diags.error("E0407", m.refractory.span, `${m.name} has a refractory period but no \`spike when\` rule`, {
      hint: "add `spike when CONDITION { reset }`",
    });
  }
  if (m.method && !(METHODS as readonly string[]).includes(m.method.name)) {
    const near = closest(m.method.name, METHODS);
    diags.error("E0212", m.method.span, `unknown integration method \`${m.method.name}\``, {
      hint: near ? `did you mean \`${near}\`? (methods: ${METHODS.join(", ")})` : `methods: ${METHODS.join(", ")}`,
    });
  }
}
