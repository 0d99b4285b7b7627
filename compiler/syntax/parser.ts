// The glia grammar as a chevrotain CstParser (grammar only, no meaning). In: tokens from lexer.ts;
// out: a concrete syntax tree (possibly with recovered, incomplete nodes) and chevrotain's error list.

import {
  CstParser,
  EOF,
  tokenMatcher,
  type CstNode,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import { isUnitSymbol } from "../units/units.js";
import * as T from "./tokens.js";

const K = T.KW;

/** Tokens after which a unit symbol is a name being defined or assigned, not a unit (`A = 1`, `S: mV`). */
const ENDS_UNIT_GUESS: TokenType[] = [
  T.Assign,
  T.Colon,
  T.Prime,
  T.PlusAssign,
  T.MinusAssign,
  T.StarAssign,
  T.SlashAssign,
];

/** Chevrotain builds messages through this provider; we keep only the machine-readable part and
 * write the human message ourselves (parse-errors.ts), where the surrounding block is known. */
const MESSAGE_PROVIDER = {
  buildMismatchTokenMessage: (o: { expected: TokenType }) => o.expected.name,
  buildNotAllInputParsedMessage: () => "",
  buildNoViableAltMessage: (o: { ruleName: string }) => o.ruleName,
  buildEarlyExitMessage: (o: { ruleName: string }) => o.ruleName,
};

/** Chevrotain internals the error limit hooks into (present at run time, absent from its typings). */
interface ErrorHooks {
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
  moveToTerminatedState(): void;
}
const BASE_HOOKS = CstParser.prototype as unknown as ErrorHooks;

export class GliaParser extends CstParser {
  /** Indices (into `errors`) of mismatches that were repaired by inserting the missing token. */
  insertedAt = new Set<number>();
  /** After this many errors the parser stops reading: the rest of the input is taken as its end, so
   * error recovery over a file of garbage costs a bounded number of recoveries. */
  errorLimit = Infinity;
  private errorCount = 0;

  /** `validate`: run chevrotain's grammar validations (ambiguities, left recursion); they check the grammar, not
   *  the input, and take three quarters of the parser's construction (about 0.2 s), so the compiler skips them and
   *  test/syntax/grammar.test.ts runs them. */
  constructor(validate = false) {
    super(T.ALL_TOKENS, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "full",
      errorMessageProvider: MESSAGE_PROVIDER,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  protected override getTokenToInsert(tokType: TokenType): IToken {
    this.insertedAt.add(this.errors.length - 1);
    return super.getTokenToInsert(tokType);
  }

  /** Chevrotain records every recognition error here; past the limit, jump to the end of the input. */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    const saved = BASE_HOOKS.SAVE_ERROR.call(this, error);
    if (++this.errorCount > this.errorLimit) BASE_HOOKS.moveToTerminatedState.call(this);
    return saved;
  }

  /** Parse a whole token list, reading no further than `errorLimit` errors. */
  parseFile(tokens: IToken[], errorLimit = Infinity): CstNode {
    this.input = tokens;
    this.insertedAt = new Set();
    this.errorLimit = errorLimit;
    this.errorCount = 0;
    return this.file();
  }

  // ------------------------------------------------------------ unit gates

  private isUnitName(t: IToken): boolean {
    return tokenMatcher(t, T.Identifier) && isUnitSymbol(t.image);
  }

  /** A unit symbol at LA(k) that is not the start of a definition or assignment. */
  private unitSymbolAt(k: number): boolean {
    if (!this.isUnitName(this.LA(k))) return false;
    const next = this.LA(k + 1);
    return !ENDS_UNIT_GUESS.some((tt) => tokenMatcher(next, tt));
  }

  /** `(` at LA(k) opening a group that holds only unit symbols, numbers, * / ^ - and nested parentheses. */
  private unitGroupAt(k: number): boolean {
    if (!tokenMatcher(this.LA(k), T.LParen)) return false;
    let depth = 0;
    let sawUnit = false;
    for (let i = k; i < k + 64; i++) {
      const t = this.LA(i);
      if (tokenMatcher(t, T.LParen)) depth++;
      else if (tokenMatcher(t, T.RParen)) {
        depth--;
        if (depth === 0) return sawUnit;
      } else if (this.isUnitName(t)) sawUnit = true;
      else if (!(
        tokenMatcher(t, T.NumberLit) ||
        tokenMatcher(t, T.Star) ||
        tokenMatcher(t, T.Slash) ||
        tokenMatcher(t, T.Caret) ||
        tokenMatcher(t, T.Minus)
      )) {
        return false;
      }
    }
    return false;
  }

  /** After a number: does a unit start here? `20 ms`, `0.006 /ms`, `2e-4 /(uM*ms)`, but not `20 / tau`. */
  private unitStarts(): boolean {
    if (this.unitSymbolAt(1)) return true;
    return tokenMatcher(this.LA(1), T.Slash) && (this.unitSymbolAt(2) || this.unitGroupAt(2));
  }

  /** Inside a unit after a number: `*` or `/` continues the unit only if a unit factor follows. */
  private unitContinues(): boolean {
    const op = this.LA(1);
    if (!(tokenMatcher(op, T.Star) || tokenMatcher(op, T.Slash))) return false;
    return this.unitSymbolAt(2) || this.unitGroupAt(2);
  }

  /** `^ INT` or `^ - INT` after a unit factor. */
  private exponentFollows(): boolean {
    if (!tokenMatcher(this.LA(1), T.Caret)) return false;
    const n = this.LA(2);
    return tokenMatcher(n, T.NumberLit) || (tokenMatcher(n, T.Minus) && tokenMatcher(this.LA(3), T.NumberLit));
  }

  // ------------------------------------------------------------ files

  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.model) },
        { ALT: () => this.SUBRULE(this.network) },
        { ALT: () => this.CONSUME(T.Semicolon) },
      ]);
    });
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(K.import);
    this.CONSUME(T.StringLit, { LABEL: "path" });
  });

  // ------------------------------------------------------------ models

  model = this.RULE("model", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.neuron, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(K.synapse, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(K.astrocyte, { LABEL: "kind" }) },
    ]);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.SUBRULE(this.declSection) },
        { ALT: () => this.SUBRULE(this.equationsSection) },
        { ALT: () => this.SUBRULE(this.spikeSection) },
        { ALT: () => this.SUBRULE(this.refractorySection) },
        { ALT: () => this.SUBRULE(this.methodSection) },
        { ALT: () => this.SUBRULE(this.dtSection) },
        { ALT: () => this.SUBRULE(this.onSection) },
        { ALT: () => this.SUBRULE(this.continuousSection) },
        { ALT: () => this.SUBRULE(this.exposeSection) },
        { ALT: () => this.CONSUME(T.Semicolon) },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  declSection = this.RULE("declSection", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.parameters, { LABEL: "header" }) },
      { ALT: () => this.CONSUME(K.state, { LABEL: "header" }) },
      { ALT: () => this.CONSUME(K.inputs, { LABEL: "header" }) },
    ]);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR2([{ ALT: () => this.SUBRULE(this.decl) }, { ALT: () => this.CONSUME(T.Semicolon) }]);
    });
    this.CONSUME(T.RCurly);
  });

  decl = this.RULE("decl", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.unitExpr, { LABEL: "unit" });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expr, { LABEL: "value" });
    });
  });

  equationsSection = this.RULE("equationsSection", () => {
    this.CONSUME(K.equations, { LABEL: "header" });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.equation) }, { ALT: () => this.CONSUME(T.Semicolon) }]);
    });
    this.CONSUME(T.RCurly);
  });

  equation = this.RULE("equation", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OR([
      { ALT: () => this.CONSUME(T.Prime) },
      {
        ALT: () =>
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            this.SUBRULE(this.unitExpr, { LABEL: "unit" });
          }),
      },
    ]);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  spikeSection = this.RULE("spikeSection", () => {
    this.CONSUME(K.spike, { LABEL: "header" });
    this.CONSUME(K.when);
    this.SUBRULE(this.expr, { LABEL: "condition" });
    this.SUBRULE(this.stmtBlock, { LABEL: "body" });
  });

  refractorySection = this.RULE("refractorySection", () => {
    this.CONSUME(K.refractory, { LABEL: "header" });
    this.SUBRULE(this.expr, { LABEL: "period" });
    this.OPTION(() => {
      this.CONSUME(K.clamp);
      this.CONSUME(T.Identifier, { LABEL: "clamped" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.Identifier, { LABEL: "clamped" });
      });
    });
  });

  methodSection = this.RULE("methodSection", () => {
    this.CONSUME(K.method, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
  });

  dtSection = this.RULE("dtSection", () => {
    this.CONSUME(K.dt, { LABEL: "header" });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  onSection = this.RULE("onSection", () => {
    this.CONSUME(K.on, { LABEL: "header" });
    this.OR([
      { ALT: () => this.CONSUME(K.pre, { LABEL: "event" }) },
      { ALT: () => this.CONSUME(K.post, { LABEL: "event" }) },
      { ALT: () => this.CONSUME(K.synapse_pre, { LABEL: "event" }) },
      { ALT: () => this.CONSUME(K.synapse_post, { LABEL: "event" }) },
    ]);
    this.SUBRULE(this.stmtBlock, { LABEL: "body" });
  });

  continuousSection = this.RULE("continuousSection", () => {
    this.CONSUME(K.continuous, { LABEL: "header" });
    this.SUBRULE(this.stmtBlock, { LABEL: "body" });
  });

  exposeSection = this.RULE("exposeSection", () => {
    this.CONSUME(K.expose, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.unitExpr, { LABEL: "unit" });
    });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  // ------------------------------------------------------------ statements

  stmtBlock = this.RULE("stmtBlock", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.stmt) }, { ALT: () => this.CONSUME(T.Semicolon) }]);
    });
    this.CONSUME(T.RCurly);
  });

  stmt = this.RULE("stmt", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.assignStmt) },
    ]);
  });

  letStmt = this.RULE("letStmt", () => {
    this.CONSUME(K.let);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  ifStmt = this.RULE("ifStmt", () => {
    this.CONSUME(K.if);
    this.SUBRULE(this.expr, { LABEL: "condition" });
    this.SUBRULE(this.stmtBlock, { LABEL: "then" });
    this.OPTION(() => {
      this.CONSUME(K.else);
      this.OR([
        { ALT: () => this.SUBRULE2(this.stmtBlock, { LABEL: "otherwise" }) },
        { ALT: () => this.SUBRULE(this.ifStmt, { LABEL: "elseIf" }) },
      ]);
    });
  });

  /** The target is parsed as an expression; cst-to-ast rejects anything but NAME / pre.NAME / post.NAME (E0115). */
  assignStmt = this.RULE("assignStmt", () => {
    this.SUBRULE(this.expr, { LABEL: "target" });
    this.OR([
      { ALT: () => this.CONSUME(T.Assign, { LABEL: "op" }) },
      { ALT: () => this.CONSUME(T.PlusAssign, { LABEL: "op" }) },
      { ALT: () => this.CONSUME(T.MinusAssign, { LABEL: "op" }) },
      { ALT: () => this.CONSUME(T.StarAssign, { LABEL: "op" }) },
      { ALT: () => this.CONSUME(T.SlashAssign, { LABEL: "op" }) },
    ]);
    this.SUBRULE2(this.expr, { LABEL: "value" });
  });

  // ------------------------------------------------------------ networks

  network = this.RULE("network", () => {
    this.CONSUME(K.network);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.settingItem) },
        { ALT: () => this.SUBRULE(this.populationItem) },
        { ALT: () => this.SUBRULE(this.inputItem) },
        { ALT: () => this.SUBRULE(this.currentItem) },
        { ALT: () => this.SUBRULE(this.connectItem) },
        { ALT: () => this.SUBRULE(this.ensheathItem) },
        { ALT: () => this.SUBRULE(this.modulatorItem) },
        { ALT: () => this.SUBRULE(this.recordItem) },
        { ALT: () => this.SUBRULE(this.runItem) },
        { ALT: () => this.SUBRULE(this.letStmt) },
        { ALT: () => this.CONSUME(T.Semicolon) },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  settingItem = this.RULE("settingItem", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.dt, { LABEL: "header" }) },
      { ALT: () => this.CONSUME(K.seed, { LABEL: "header" }) },
      // `window = [FROM, TO]`: not a reserved word (T.WindowWord is a name everywhere else)
      { ALT: () => this.CONSUME(T.WindowWord, { LABEL: "header" }) },
    ]);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  populationItem = this.RULE("populationItem", () => {
    this.CONSUME(K.population, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Assign);
    this.CONSUME2(T.Identifier, { LABEL: "model" });
    this.OPTION(() => this.SUBRULE(this.args));
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expr, { LABEL: "size" });
    this.CONSUME(T.RBracket);
  });

  inputItem = this.RULE("inputItem", () => {
    this.CONSUME(K.input, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Assign);
    this.CONSUME2(T.Identifier, { LABEL: "generator" });
    this.SUBRULE(this.args);
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expr, { LABEL: "size" });
    this.CONSUME(T.RBracket);
  });

  currentItem = this.RULE("currentItem", () => {
    this.CONSUME(K.current, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "variable" });
    this.CONSUME(K.of);
    this.SUBRULE(this.popref, { LABEL: "target" });
    this.CONSUME(T.Assign);
    // a generator call (steps, csv_current, timed_array) or an expression of one timed_array
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  connectItem = this.RULE("connectItem", () => {
    this.CONSUME(K.connect, { LABEL: "header" });
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: "name" });
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.poprefs, { LABEL: "pre" });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.poprefs, { LABEL: "post" });
    this.CONSUME(K.with);
    this.CONSUME2(T.Identifier, { LABEL: "synapse" });
    this.OPTION2(() => this.SUBRULE(this.args, { LABEL: "synapseArgs" }));
    this.OPTION3(() => {
      this.CONSUME(K.onto);
      this.CONSUME3(T.Identifier, { LABEL: "onto" });
    });
    this.SUBRULE(this.ruleRef, { LABEL: "rule" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(K.allow_self) },
        {
          ALT: () => {
            this.CONSUME(K.delay);
            this.CONSUME(T.Assign);
            this.SUBRULE(this.expr, { LABEL: "delay" });
          },
        },
      ]);
    });
  });

  ruleRef = this.RULE("ruleRef", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => this.SUBRULE(this.args));
  });

  ensheathItem = this.RULE("ensheathItem", () => {
    this.CONSUME(K.ensheath, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "projection" });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier, { LABEL: "projection" });
    });
    this.CONSUME(K.with);
    this.CONSUME3(T.Identifier, { LABEL: "astrocytes" });
    this.SUBRULE(this.ruleRef, { LABEL: "rule" });
  });

  modulatorItem = this.RULE("modulatorItem", () => {
    this.CONSUME(K.modulator, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.unitExpr, { LABEL: "unit" });
    });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  recordItem = this.RULE("recordItem", () => {
    this.CONSUME(K.record, { LABEL: "header" });
    this.CONSUME(T.Identifier, { LABEL: "what" });
    this.CONSUME(K.of);
    this.SUBRULE(this.poprefs, { LABEL: "targets" });
    this.OPTION(() => {
      this.CONSUME(K.every);
      this.SUBRULE(this.expr, { LABEL: "every" });
    });
  });

  runItem = this.RULE("runItem", () => {
    this.CONSUME(K.run, { LABEL: "header" });
    this.SUBRULE(this.expr, { LABEL: "duration" });
  });

  poprefs = this.RULE("poprefs", () => {
    this.SUBRULE(this.popref);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.popref);
    });
  });

  popref = this.RULE("popref", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expr, { LABEL: "start" });
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Colon);
            this.SUBRULE2(this.expr, { LABEL: "end" });
          },
        },
        {
          // an index list `[a, b, c]` (synapse monitors: `record w of PROJ[0, 5, 9]`)
          ALT: () =>
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE3(this.expr, { LABEL: "more" });
            }),
        },
      ]);
      this.CONSUME(T.RBracket);
    });
  });

  args = this.RULE("args", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
    });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE("arg", () => {
    this.OPTION(() => {
      // `pre` and `post` are reserved but are argument names of from_list(pre = [...], post = [...])
      this.OR([
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: "name" }) },
        { ALT: () => this.CONSUME(T.KW.pre, { LABEL: "name" }) },
        { ALT: () => this.CONSUME(T.KW.post, { LABEL: "name" }) },
      ]);
      this.CONSUME(T.Assign);
    });
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  // ------------------------------------------------------------ expressions (lowest precedence first)

  expr = this.RULE("expr", () => {
    this.SUBRULE(this.orExpr, { LABEL: "cond" });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.expr, { LABEL: "then" });
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expr, { LABEL: "otherwise" });
    });
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(K.or, { LABEL: "op" });
      this.SUBRULE2(this.andExpr, { LABEL: "operand" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(K.and, { LABEL: "op" });
      this.SUBRULE2(this.notExpr, { LABEL: "operand" });
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.not, { LABEL: "op" });
          this.SUBRULE(this.notExpr, { LABEL: "operand" });
        },
      },
      { ALT: () => this.SUBRULE(this.cmpExpr, { LABEL: "operand" }) },
    ]);
  });

  cmpExpr = this.RULE("cmpExpr", () => {
    this.SUBRULE(this.sumExpr, { LABEL: "operand" });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Less, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.LessEq, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Greater, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.GreaterEq, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.EqEq, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.NotEq, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.sumExpr, { LABEL: "operand" });
    });
  });

  sumExpr = this.RULE("sumExpr", () => {
    this.SUBRULE(this.prodExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.prodExpr, { LABEL: "operand" });
    });
  });

  prodExpr = this.RULE("prodExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.unaryExpr, { LABEL: "operand" });
    });
  });

  unaryExpr = this.RULE("unaryExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Minus, { LABEL: "op" }) },
            { ALT: () => this.CONSUME(T.Plus, { LABEL: "op" }) },
          ]);
          this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
        },
      },
      { ALT: () => this.SUBRULE(this.powerExpr, { LABEL: "operand" }) },
    ]);
  });

  /** `a ^ b` with a unary right side: right-associative, and -x^2 = -(x^2). */
  powerExpr = this.RULE("powerExpr", () => {
    this.SUBRULE(this.atom, { LABEL: "base" });
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.unaryExpr, { LABEL: "exponent" });
    });
  });

  atom = this.RULE("atom", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NumberLit, { LABEL: "number" });
          this.OPTION({ GATE: () => this.unitStarts(), DEF: () => this.SUBRULE(this.numUnit, { LABEL: "unit" }) });
        },
      },
      { ALT: () => this.CONSUME(K.true, { LABEL: "bool" }) },
      { ALT: () => this.CONSUME(K.false, { LABEL: "bool" }) },
      { ALT: () => this.CONSUME(T.StringLit, { LABEL: "string" }) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: "name" });
          this.OPTION2(() => {
            this.OR2([
              { ALT: () => this.SUBRULE(this.args) },
              {
                ALT: () => {
                  this.CONSUME(T.Dot);
                  this.CONSUME2(T.Identifier, { LABEL: "member" });
                },
              },
            ]);
          });
        },
      },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(K.pre, { LABEL: "object" }) },
            { ALT: () => this.CONSUME(K.post, { LABEL: "object" }) },
            { ALT: () => this.CONSUME(K.astro, { LABEL: "object" }) },
            { ALT: () => this.CONSUME(K.mod, { LABEL: "object" }) },
          ]);
          this.CONSUME2(T.Dot);
          this.CONSUME3(T.Identifier, { LABEL: "member" });
        },
      },
      { ALT: () => this.CONSUME(K.dt, { LABEL: "dt" }) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr, { LABEL: "inner" });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.CONSUME(T.NumberList, { LABEL: "numberList" }) },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.OPTION3(() => {
            this.SUBRULE2(this.expr, { LABEL: "item" });
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE3(this.expr, { LABEL: "item" });
            });
          });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });

  // ------------------------------------------------------------ units

  /** A unit right after a number; every factor is gated to be a known unit symbol. */
  numUnit = this.RULE("numUnit", () => {
    this.OPTION(() => this.CONSUME(T.Slash, { LABEL: "leadingSlash" }));
    this.SUBRULE(this.numUnitFactor, { LABEL: "factor" });
    this.MANY({
      GATE: () => this.unitContinues(),
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(T.Star, { LABEL: "op" }) },
          { ALT: () => this.CONSUME2(T.Slash, { LABEL: "op" }) },
        ]);
        this.SUBRULE2(this.numUnitFactor, { LABEL: "factor" });
      },
    });
  });

  numUnitFactor = this.RULE("numUnitFactor", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unit" }) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.unitExpr, { LABEL: "inner" });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.OPTION({
      GATE: () => this.exponentFollows(),
      DEF: () => this.SUBRULE(this.unitExponent, { LABEL: "exponent" }),
    });
  });

  /** A unit in a type annotation (or inside parentheses): every name is a unit name; `1` is allowed. */
  unitExpr = this.RULE("unitExpr", () => {
    this.OPTION(() => this.CONSUME(T.Slash, { LABEL: "leadingSlash" }));
    this.SUBRULE(this.unitFactor, { LABEL: "factor" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: "op" }) },
        { ALT: () => this.CONSUME2(T.Slash, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.unitFactor, { LABEL: "factor" });
    });
  });

  unitFactor = this.RULE("unitFactor", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unit" }) },
      { ALT: () => this.CONSUME(T.NumberLit, { LABEL: "one" }) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.unitExpr, { LABEL: "inner" });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.OPTION(() => this.SUBRULE(this.unitExponent, { LABEL: "exponent" }));
  });

  unitExponent = this.RULE("unitExponent", () => {
    this.CONSUME(T.Caret);
    this.OPTION(() => this.CONSUME(T.Minus, { LABEL: "minus" }));
    this.CONSUME(T.NumberLit, { LABEL: "value" });
  });
}

/** Rules whose errors are reported as invalid units (E0114). */
export const UNIT_RULES: ReadonlySet<string> = new Set([
  "numUnit",
  "numUnitFactor",
  "unitExpr",
  "unitFactor",
  "unitExponent",
]);

export { EOF };
