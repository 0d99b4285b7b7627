// The registry of diagnostic codes: code -> one-line title. In: nothing; out: CODES.
// Ranges: E01xx lexing/parsing, E02xx names and scopes, E03xx units and types, E04xx model rules,
// E05xx network rules, E06xx files and imports, E07xx IR/passes, E08xx targets, W1xxx warnings.
// Add new codes at the end of their range; never reuse or renumber a code. Every code here is emitted
// somewhere in compiler/, targets/ or cli/ (test/unit/codes-emitted.test.ts); a code with nothing left to
// report is retired: removed here and listed below, its number never given out again.
// Retired: E0702 (no method is impossible: a named one that cannot be honoured falls back to rk4 with
// W1004 / W1007), W1003 (excluding self-connections is the documented default of the random rules; a
// warning on every recurrent connect could not be silenced short of allow_self).

export const CODES = {
  // --- syntax (compiler/syntax)
  E0101: "unexpected character",
  E0102: "unterminated string",
  E0103: "malformed number",
  E0110: "unexpected token",
  E0111: "missing token",
  E0112: "expected a declaration, section or item",
  E0113: "unclosed block",
  E0114: "invalid unit expression",
  E0115: "invalid assignment target",
  E0116: "too many syntax errors; the rest of the file is not read",
  E0117: "number literal out of range (overflows to infinity or underflows to zero)",
  E0118: "nested too deeply (brackets, prefix operators, ^, ?: or else-if chains past the nesting limit)",
  // --- names and scopes (compiler/check)
  E0201: "undeclared name",
  E0202: "duplicate declaration",
  E0203: "unknown model",
  E0204: "unknown function",
  E0205: "name is a unit symbol or reserved",
  E0206: "unknown population or projection",
  E0207: "unknown variable of a model",
  E0208: "wrong number of arguments",
  E0209: "unknown argument name",
  E0210: "missing required argument",
  E0211: "unknown unit",
  E0212: "unknown integration method",
  E0213: "unknown connection rule or generator",
  E0214: "cyclic alias definitions",
  // --- units and types (compiler/units)
  E0301: "dimension mismatch",
  E0302: "ODE right-hand side has the wrong dimension",
  E0303: "argument must be dimensionless",
  E0304: "non-integer or non-constant exponent of a dimensioned value",
  E0305: "condition is not boolean",
  E0306: "boolean used as a number",
  E0307: "declared unit does not match value",
  E0308: "comparison of different dimensions",
  E0309: "time value expected",
  E0310: "constant is infinite or NaN",
  E0311: "division by a constant zero",
  // --- model rules (compiler/check)
  E0401: "section not allowed in this kind of model",
  E0402: "duplicate section",
  E0403: "ODE for a name that is not a state variable",
  E0404: "assignment to a parameter or read-only name",
  E0405: "state variable has two ODEs",
  E0406: "clamped name is not a state variable",
  E0407: "spike condition missing for a refractory neuron",
  E0408: "pre./post./astro./mod. not available here",
  E0409: "continuous block may only add to inputs",
  E0410: "event-driven synapse ODE is not decoupled linear",
  E0411: "state variable without an initial value",
  E0412: "distribution not allowed here",
  E0413: "model dt is not a positive multiple of the network dt",
  E0414: "initial value reads a state variable, input or alias",
  E0415: "parameter values depend on each other in a cycle",
  E0416: "refractory period must be a non-negative time",
  // --- network rules (compiler/check)
  E0501: "network has no run statement",
  E0502: "size must be a positive integer",
  E0503: "slice out of range",
  E0504: "synapse target (onto) is not a state or input of the post population",
  E0505: "projection writes post.target but no onto was given",
  E0506: "probability out of [0, 1]",
  E0507: "ensheath target is not an astrocyte population",
  E0508: "one_to_one needs equal sizes",
  E0509: "duplicate network setting",
  E0510: "more than one network in the program",
  E0511: "recorded variable not in the model",
  E0512: "delay must be a non-negative time",
  E0513: "dt must be a positive time",
  E0514: "unknown modulator",
  E0515: "no network to run",
  E0516: "run shorter than one step",
  // --- files and imports
  E0601: "cannot read file",
  E0602: "import not found",
  E0603: "import cycle",
  E0604: "cannot read data file",
  E0605: "malformed data file",
  E0606: "import or data path not allowed (outside the project, or not a .glia import)",
  E0607: "cannot write output",
  // --- IR and passes
  E0701: "IR verification failed",
  // --- targets
  E0801: "target does not support this construct",
  E0802: "not representable in fixed point",
  E0803: "invalid hardware spec",
  E0804: "network does not fit the hardware",
  E0805: "invalid hardware descriptor",
  E0806: "state variable became infinite or NaN during the run",
  E0807: "run exceeds resource limits (steps, elements or memory)",
  // --- warnings
  W1001: "unused declaration",
  W1002: "name shadows a built-in",
  W1004: "exact method requested but system is not linear; using rk4",
  W1005: "fixed-point range from profiling only (no static bound)",
  W1006: "crossbar column sums can exceed the ADC range",
  W1007: "exponential_euler method requested but an equation is not conditionally linear; using rk4",
  W1008: "event-driven synapse equation not linear in its variable; advanced by an Euler step",
} as const;

export type Code = keyof typeof CODES;
