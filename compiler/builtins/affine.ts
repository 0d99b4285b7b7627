// The rule of affinity shared by the checker's linearity test (AST, compiler/check/linear.ts) and the
// passes' coefficient extraction (IR, compiler/passes/linear.ts). In: the degrees of an operator's operands
// in the variable(s); out: the degree of the result, or why it is not affine in them.

/** "const": free of the variables; "linear": affine in them, a*x + b with a, b free of them. */
export type Degree = "const" | "linear";

export type NotAffine = { why: string };

/** Degree of `a op b` (op as written: + - * / or any other operator, which is affine only over constants). */
export function binaryDegree(op: string, a: Degree, b: Degree): Degree | NotAffine {
  switch (op) {
    case "+":
    case "-":
      return a === "linear" || b === "linear" ? "linear" : "const";
    case "*":
      if (a === "linear" && b === "linear") return { why: "product of the variable with itself" };
      return a === "linear" || b === "linear" ? "linear" : "const";
    case "/":
      return b === "linear" ? { why: "division by the variable" } : a;
    default:
      return a === "const" && b === "const" ? "const" : { why: `\`${op}\` of the variable` };
  }
}

/** Negation keeps the degree; a function call, a selection, `not` or a list is affine only over constants. */
export function opaqueDegree(parts: readonly Degree[]): Degree | NotAffine {
  return parts.every((d) => d === "const") ? "const" : { why: "the variable inside a nonlinear function or condition" };
}
