import type { Span } from '../../model/span';

/**
 * The HCL syntax tree. Every node has the span of the text it came from. Parsing never throws: text that
 * cannot be parsed becomes an `InvalidExpr` (or is skipped) and a `SyntaxError` in `HclFile.errors`.
 */
export interface HclFile {
  body: Body;
  errors: SyntaxError[];
  /** Every comment, in order, with its text including the marker (`#`, `//`, `/*`). */
  comments: Comment[];
}

export interface SyntaxError {
  message: string;
  span: Span;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface Body {
  /** Attributes and blocks in source order. */
  items: BodyItem[];
  span: Span;
}

export type BodyItem = Attribute | Block;

export interface Attribute {
  kind: 'attribute';
  name: string;
  nameSpan: Span;
  expr: Expr;
  /** From the name to the end of the expression. */
  span: Span;
}

export interface BlockLabel {
  value: string;
  span: Span;
  /** Quoted labels (`"aws_vpc"`) are the norm; bare identifiers are allowed too. */
  quoted: boolean;
}

export interface Block {
  kind: 'block';
  type: string;
  typeSpan: Span;
  labels: BlockLabel[];
  body: Body;
  /** From the block type to the closing brace (or the end of what was parsed when it is missing). */
  span: Span;
  /** Offset of `{`, and of `}` or -1 when the block was not closed. */
  openBrace: number;
  closeBrace: number;
}

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | CallExpr
  | ForExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | TemplateIfExpr
  | TemplateForExpr
  | InvalidExpr;

/** A number, `true`/`false`, `null`, or a string that contains no interpolation. */
export interface LiteralExpr {
  kind: 'literal';
  value: string | number | boolean | null;
  span: Span;
}

/**
 * A quoted string or heredoc with interpolations or directives. `parts` are literal strings
 * (`LiteralExpr` with a string value, escapes already decoded), interpolated expressions, and
 * `%{if}` / `%{for}` directives. A quoted string without interpolation is a plain `LiteralExpr`.
 */
export interface TemplateExpr {
  kind: 'template';
  parts: Expr[];
  heredoc: boolean;
  span: Span;
}

export interface TemplateIfExpr {
  kind: 'templateIf';
  cond: Expr;
  then: Expr[];
  else?: Expr[];
  span: Span;
}

export interface TemplateForExpr {
  kind: 'templateFor';
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  body: Expr[];
  span: Span;
}

export interface TupleExpr {
  kind: 'tuple';
  items: Expr[];
  span: Span;
}

export interface ObjectItem {
  /** A bare identifier key is a `VariableExpr`-free literal: `{ a = 1 }` gives key `LiteralExpr("a")`. */
  key: Expr;
  value: Expr;
  span: Span;
}

export interface ObjectExpr {
  kind: 'object';
  items: ObjectItem[];
  span: Span;
}

/** A root name: `var`, `local`, `aws_vpc`, `each`, `count`, `module`, `data`, `path`, a `for` variable. */
export interface VariableExpr {
  kind: 'variable';
  name: string;
  span: Span;
}

/** `object.name` (also the legacy index form `list.0`, which is given as an `IndexExpr`). */
export interface GetAttrExpr {
  kind: 'getattr';
  object: Expr;
  name: string;
  nameSpan: Span;
  span: Span;
}

/** `object[key]`, and `object.0` (legacy numeric attribute access) with a number literal key. */
export interface IndexExpr {
  kind: 'index';
  object: Expr;
  key: Expr;
  span: Span;
}

/**
 * `source[*].a.b` and `source.*.a.b`: `each` is the traversal applied to every element, written over a
 * `SplatItemExpr` that stands for the element (`each` is just the `SplatItemExpr` when nothing follows).
 */
export interface SplatExpr {
  kind: 'splat';
  source: Expr;
  each: Expr;
  span: Span;
}

export interface SplatItemExpr {
  kind: 'splatItem';
  span: Span;
}

export interface CallExpr {
  kind: 'call';
  name: string;
  nameSpan: Span;
  args: Expr[];
  /** `f(list...)`: the last argument is expanded. */
  expandFinal: boolean;
  span: Span;
}

/** `[for k, v in coll : expr if cond]` and `{for k, v in coll : key => value... if cond}`. */
export interface ForExpr {
  kind: 'for';
  object: boolean;
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  /** Object form only. */
  keyExpr?: Expr;
  valueExpr: Expr;
  cond?: Expr;
  /** Object form `...` grouping. */
  group: boolean;
  span: Span;
}

export interface ConditionalExpr {
  kind: 'conditional';
  cond: Expr;
  then: Expr;
  else: Expr;
  span: Span;
}

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}

export interface UnaryExpr {
  kind: 'unary';
  op: '!' | '-';
  operand: Expr;
  span: Span;
}

export interface ParenExpr {
  kind: 'paren';
  expr: Expr;
  span: Span;
}

/** What stands where an expression could not be parsed; an error in `HclFile.errors` says why. */
export interface InvalidExpr {
  kind: 'invalid';
  span: Span;
}
