// Operator precedence and associativity follow docs/language.md exactly.
import { expect, test } from "@jest/globals";
import { exprOf, firstDiag, show } from "./helpers.js";

const CASES: [string, string][] = [
  ["a + b * c", "(+ a (* b c))"],
  ["a * b + c", "(+ (* a b) c)"],
  ["a - b - c", "(- (- a b) c)"],
  ["a / b / c", "(/ (/ a b) c)"],
  ["(a + b) * c", "(* (+ a b) c)"],
  ["2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"],
  ["-x ^ 2", "(neg (^ x 2))"],
  ["x ^ -2", "(^ x (neg 2))"],
  ["-a * b", "(* (neg a) b)"],
  ["- - a", "(neg (neg a))"],
  ["a * b ^ c", "(* a (^ b c))"],
  ["a + b < c * d", "(< (+ a b) (* c d))"],
  ["a + b == c", "(== (+ a b) c)"],
  ["not a < b", "(not (< a b))"],
  ["not not a", "(not (not a))"],
  ["not a and b or c", "(or (and (not a) b) c)"],
  ["a or b and c", "(or a (and b c))"],
  ["a and b and c", "(and (and a b) c)"],
  ["a <= b and c != d", "(and (<= a b) (!= c d))"],
  ["a or b ? 1 : 2", "(? (or a b) 1 2)"],
  ["c ? a : b ? d : e", "(? c a (? b d e))"],
  ["c ? d ? 1 : 2 : 3", "(? c (? d 1 2) 3)"],
  ["f(x, y = 2) + g()", "(+ f(x, y=2) g())"],
  ["pre.v + post.ge * astro.m - mod.r / exc.v", "(- (+ pre.v (* post.ge astro.m)) (/ mod.r exc.v))"],
  ["[1, a + 1, -2]", "[1, (+ a 1), (neg 2)]"],
  ["true or false", "(or true false)"],
  ["dt * 2", "(* dt 2)"],
  ['csv_list("f.csv")', 'csv_list("f.csv")'],
  ["+a", "(pos a)"],
];

test.each(CASES)("%s", (src, expected) => {
  expect(show(exprOf(src))).toBe(expected);
});

test("comparisons are not associative", () => {
  expect(firstDiag("neuron T { parameters { x = a < b < c } }")).toBe("E0110 1:35");
});

test("a binary expression spans from its left to its right operand", () => {
  const e = exprOf("a +  b * c");
  expect([e.span.col, e.span.endCol]).toEqual([29, 38]);
});
