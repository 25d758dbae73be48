import type {
  Attribute,
  BinaryOp,
  Block,
  BlockLabel,
  BodyItem,
  Comment,
  Expr,
  ForExpr,
  InvalidExpr,
  LiteralExpr,
  ObjectItem,
  SyntaxError as HclSyntaxError,
  TemplateIfExpr,
  TemplateForExpr,
} from './ast';
import { Lexer, Stop, Tok, isDigit, isTemplateSpace } from './lexer';

/**
 * A recursive-descent parser for HCL native syntax, written for an editor: it never throws, it keeps
 * everything it could read around an error, and it always makes progress. Nesting deeper than
 * `MAX_DEPTH` is reported and skipped without recursion, so hostile input cannot exhaust the stack.
 */
export const MAX_DEPTH = 500;

const enum TemplateMode {
  Quoted,
  Heredoc,
  /** A JSON string's content: no quotes, no backslash escapes, ends at a given offset. */
  Bare,
}

/** A template piece before directives are nested and strip markers applied. */
interface RawPart {
  /** 0 literal, 1 interpolation, 2 directive. */
  k: 0 | 1 | 2;
  start: number;
  end: number;
  lineStart: boolean;
  value: string;
  expr: Expr | undefined;
  /** Directive keyword: if, else, endif, for, endfor. */
  dir: string;
  keyVar: string | undefined;
  valueVar: string;
  stripL: boolean;
  stripR: boolean;
}

interface TemplateFrame {
  kind: 'root' | 'if' | 'for';
  parts: Expr[];
  open: RawPart | undefined;
  then: Expr[] | undefined;
  /** Whether the last part is literal text that the next literal text can be merged into. */
  litOpen: boolean;
}

function binaryPrecedence(t: Tok): number {
  switch (t) {
    case Tok.OrOr:
      return 1;
    case Tok.AndAnd:
      return 2;
    case Tok.EqEq:
    case Tok.NotEq:
      return 3;
    case Tok.Lt:
    case Tok.Gt:
    case Tok.LtEq:
    case Tok.GtEq:
      return 4;
    case Tok.Plus:
    case Tok.Minus:
      return 5;
    case Tok.Star:
    case Tok.Slash:
    case Tok.Percent:
      return 6;
    default:
      return 0;
  }
}

function binaryOp(t: Tok): BinaryOp {
  switch (t) {
    case Tok.OrOr:
      return '||';
    case Tok.AndAnd:
      return '&&';
    case Tok.EqEq:
      return '==';
    case Tok.NotEq:
      return '!=';
    case Tok.Lt:
      return '<';
    case Tok.Gt:
      return '>';
    case Tok.LtEq:
      return '<=';
    case Tok.GtEq:
      return '>=';
    case Tok.Plus:
      return '+';
    case Tok.Minus:
      return '-';
    case Tok.Star:
      return '*';
    case Tok.Slash:
      return '/';
    default:
      return '%';
  }
}

/**
 * A copy of an array built by `push` with no spare capacity. V8 grows a pushed array to 17 slots at
 * once, and trees are kept per open file: exact arrays make them about an eighth smaller.
 */
export function exact<T>(a: T[]): T[] {
  return a.length === 0 ? [] : a.slice();
}

function invalid(start: number, end: number): InvalidExpr {
  return { kind: 'invalid', span: { start, end } };
}

function trimTemplateSpaceEnd(s: string): string {
  let e = s.length;
  while (e > 0 && isTemplateSpace(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

function trimTemplateSpaceStart(s: string): string {
  let i = 0;
  while (i < s.length && isTemplateSpace(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

export class Parser {
  readonly lx: Lexer;
  private readonly text: string;
  private depth = 0;
  private deepReported = false;

  constructor(
    text: string,
    readonly errors: HclSyntaxError[],
    readonly comments: Comment[],
    start = 0,
    end = text.length,
    lineStarts?: number[],
  ) {
    this.text = text;
    this.lx = new Lexer(text, comments, errors, start, end, lineStarts);
  }

  private error(start: number, end: number, message: string): void {
    this.lx.error(start, end, message);
  }

  private line(offset: number): number {
    return this.lx.lineOf(offset);
  }

  /** Describes the current token for a message. */
  private found(): string {
    const lx = this.lx;
    switch (lx.tok()) {
      case Tok.EOF:
        return 'the end of the file';
      case Tok.Newline:
        return 'the end of the line';
      case Tok.OQuote:
        return 'a string';
      case Tok.Heredoc:
        return 'a heredoc';
      default: {
        const t = this.text.slice(lx.start, Math.min(lx.end, lx.start + 30));
        return `'${t}'`;
      }
    }
  }

  // ---- body ------------------------------------------------------------------------------------------

  /** Parses a whole file (from `start`, past a BOM) into `items`. */
  parseFile(items: BodyItem[], start: number): void {
    const lx = this.lx;
    lx.pos = start;
    lx.next();
    this.parseItems(items, -1, false, false);
  }

  /**
   * Parses body items up to the `}` that closes the block opened at `openBrace` (or to the end of the
   * file at the top level, `openBrace` -1). Returns the offset of the closing brace, or -1.
   */
  private parseItems(items: BodyItem[], openBrace: number, singleLine: boolean, inCheck: boolean): number {
    const lx = this.lx;
    const nested = openBrace >= 0;
    let first = true;
    for (;;) {
      const t = lx.tok();
      const before = lx.start;
      if (t === Tok.Newline) {
        if (singleLine && !first) {
          this.error(openBrace, openBrace + 1, 'A block whose first argument is on the same line as its "{" must be closed on that line too; put the argument on its own line');
        }
        singleLine = false;
        lx.next();
        continue;
      }
      if (t === Tok.EOF) {
        if (nested) this.error(openBrace, openBrace + 1, `Expected '}' to close the block opened at line ${this.line(openBrace)}`);
        return -1;
      }
      if (t === Tok.RBrace) {
        if (nested) {
          const close = lx.start;
          lx.next();
          return close;
        }
        this.error(lx.start, lx.end, "Unexpected '}': there is no open block to close here");
        lx.next();
        continue;
      }
      if (t === Tok.Ident) {
        if (nested && lx.atLineStart(lx.start) && lx.topKeywordAt(lx.start) && !(inCheck && this.text.startsWith('data', lx.start))) {
          // A top-level block in column 0 while a block is still open: the brace was most likely never
          // closed. Ending the block here keeps the rest of the file at the top level, where it belongs.
          this.error(openBrace, openBrace + 1, `Expected '}' to close the block opened at line ${this.line(openBrace)} before the block at line ${this.line(lx.start)}`);
          return -1;
        }
        if (singleLine && !first) {
          this.error(lx.start, lx.end, 'A single-line block can contain only one argument; put each argument on its own line');
          singleLine = false;
        }
        const count = items.length;
        this.parseItem(items, nested, singleLine, inCheck);
        if (singleLine && items.length > count && items[items.length - 1].kind === 'block') {
          const b = items[items.length - 1] as Block;
          this.error(b.typeSpan.start, b.typeSpan.end, 'A single-line block cannot contain a nested block; put the nested block on its own line');
          singleLine = false;
        }
      } else {
        this.error(lx.start, lx.end, `Expected an argument ("name = value") or a block, found ${this.found()}`);
        this.recoverLine();
      }
      first = false;
      if (lx.start === before && lx.tok() === t) lx.next();
    }
  }

  /** Skips the rest of a broken line (brackets balanced), stopping before a `}` that closes the block. */
  private recoverLine(): void {
    const lx = this.lx;
    if (lx.tok() === Tok.Newline || lx.tok() === Tok.EOF || lx.tok() === Tok.RBrace) return;
    lx.pos = lx.skipRaw(lx.start, true);
    lx.next();
  }

  private parseItem(items: BodyItem[], nested: boolean, singleLine: boolean, inCheck: boolean): void {
    const lx = this.lx;
    const text = this.text;
    const nameStart = lx.start;
    const nameEnd = lx.end;
    const name = text.slice(nameStart, nameEnd);
    lx.next();
    const t = lx.tok();
    if (t === Tok.Eq) {
      this.parseAttribute(items, name, nameStart, nameEnd, nested, singleLine);
      return;
    }
    if (t === Tok.LBrace || t === Tok.OQuote || t === Tok.Ident) {
      this.parseBlock(items, name, nameStart, nameEnd, inCheck);
      return;
    }
    if (t === Tok.Newline || t === Tok.EOF || t === Tok.RBrace) {
      this.error(nameStart, nameEnd, `Expected '=' and a value, or a block, after '${name}'`);
      return;
    }
    this.error(lx.start, lx.end, `Expected '=' or a block after '${name}', found ${this.found()}`);
    this.recoverLine();
  }

  private parseAttribute(
    items: BodyItem[],
    name: string,
    nameStart: number,
    nameEnd: number,
    nested: boolean,
    singleLine: boolean,
  ): void {
    const lx = this.lx;
    const eqStart = lx.start;
    const eqEnd = lx.end;
    const errorsBefore = this.errors.length;
    lx.next();
    let expr: Expr;
    const t = lx.tok();
    if (t === Tok.Newline || t === Tok.EOF || t === Tok.RBrace) {
      this.error(eqStart, eqEnd, `Expected a value after '=' for '${name}'`);
      expr = invalid(eqEnd, eqEnd);
    } else {
      expr = this.parseExpression();
    }
    const attr: Attribute = {
      kind: 'attribute',
      name,
      nameSpan: { start: nameStart, end: nameEnd },
      expr,
      span: { start: nameStart, end: Math.max(expr.span.end, eqEnd) },
    };
    this.addAttribute(items, attr);
    // An argument ends at a line break (or at the `}` of a single-line block).
    const e = lx.tok();
    if (e === Tok.Newline || e === Tok.EOF || this.onNewLine()) return;
    if (e === Tok.RBrace) {
      if (nested && !singleLine) this.error(lx.start, lx.end, "Missing line break after the argument; put the closing '}' on its own line");
      return;
    }
    if (this.errors.length === errorsBefore) {
      if (e === Tok.Invalid) this.error(lx.start, lx.end, lx.invalidMessage);
      else if (e === Tok.Comma) this.error(lx.start, lx.end, "Unexpected ',' after the argument; arguments are separated by line breaks, not commas");
      else this.error(lx.start, lx.end, `Expected a line break after the value of '${name}', found ${this.found()}`);
    }
    this.recoverLine();
  }

  /**
   * Adds an attribute to a body, reporting a name that is already set there. Bodies are small, so a
   * scan is cheaper than a map per body; large ones (generated files) get an index to stay linear.
   */
  private addAttribute(items: BodyItem[], attr: Attribute): void {
    const name = attr.name;
    let previous: Attribute | undefined;
    let index: Map<string, Attribute> | undefined;
    if (items.length < 32) {
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (it.kind === 'attribute' && it.name === name) {
          previous = it;
          break;
        }
      }
    } else {
      index = this.attributeIndex.get(items);
      if (!index) {
        index = new Map();
        for (const it of items) if (it.kind === 'attribute' && !index.has(it.name)) index.set(it.name, it);
        this.attributeIndex.set(items, index);
      }
      previous = index.get(name);
    }
    if (previous) {
      this.error(attr.nameSpan.start, attr.nameSpan.end, `Argument '${name}' is already set at line ${this.line(previous.nameSpan.start)}; each argument may be set only once`);
    } else if (index) {
      index.set(name, attr);
    }
    items.push(attr);
  }

  private readonly attributeIndex = new WeakMap<BodyItem[], Map<string, Attribute>>();

  private parseBlock(items: BodyItem[], type: string, typeStart: number, typeEnd: number, inCheck: boolean): void {
    const lx = this.lx;
    const labels: BlockLabel[] = [];
    for (;;) {
      if (lx.tok() === Tok.Ident) {
        labels.push({ value: lx.tokenText(), span: { start: lx.start, end: lx.end }, quoted: false });
        lx.next();
      } else if (lx.tok() === Tok.OQuote) {
        labels.push(this.parseLabelString());
      } else break;
    }
    const headerEnd = labels.length > 0 ? labels[labels.length - 1].span.end : typeEnd;
    if (lx.tok() === Tok.Newline) {
      // `resource "a" "b"` with `{` on the next line: HCL rejects it, but the intent is clear, so read on.
      let q = lx.start;
      const text = this.text;
      while (q < lx.len && isTemplateSpace(text.charCodeAt(q))) q++;
      if (q < lx.len && text.charCodeAt(q) === 123) {
        this.error(typeStart, headerEnd, "The '{' that opens a block must be on the same line as the block type and labels");
        while (lx.tok() === Tok.Newline) lx.next();
      }
    }
    const block: Block = {
      kind: 'block',
      type,
      typeSpan: { start: typeStart, end: typeEnd },
      labels: exact(labels),
      body: { items: [], span: { start: headerEnd, end: headerEnd } },
      span: { start: typeStart, end: headerEnd },
      openBrace: -1,
      closeBrace: -1,
    };
    items.push(block);
    if (lx.tok() !== Tok.LBrace) {
      this.error(
        lx.tok() === Tok.Newline || lx.tok() === Tok.EOF ? typeStart : lx.start,
        lx.tok() === Tok.Newline || lx.tok() === Tok.EOF ? headerEnd : lx.end,
        `Expected a block label or '{' after '${this.text.slice(typeStart, headerEnd)}', found ${this.found()}`,
      );
      this.recoverLine();
      return;
    }
    const open = lx.start;
    block.openBrace = open;
    let close = -1;
    if (this.depth >= MAX_DEPTH) {
      this.reportTooDeep(open, open + 1);
      lx.pos = lx.skipRaw(open + 1, false);
      lx.next();
      if (lx.tok() === Tok.RBrace) {
        close = lx.start;
        lx.next();
      }
    } else {
      lx.next();
      const singleLine = lx.tok() !== Tok.Newline && lx.tok() !== Tok.RBrace && lx.tok() !== Tok.EOF;
      this.depth++;
      close = this.parseItems(block.body.items, open, singleLine, inCheck || type === 'check');
      block.body.items = exact(block.body.items);
      this.depth--;
    }
    block.closeBrace = close;
    const bodyItems = block.body.items;
    let end: number;
    if (close >= 0) end = close + 1;
    else end = bodyItems.length > 0 ? bodyItems[bodyItems.length - 1].span.end : open + 1;
    block.span.end = end;
    block.body.span.start = open + 1;
    block.body.span.end = close >= 0 ? close : end;
    if (close >= 0) {
      const t = lx.tok();
      if (t !== Tok.Newline && t !== Tok.EOF && t !== Tok.RBrace && !this.onNewLine()) {
        this.error(lx.start, lx.end, `Expected a line break after the block's closing '}', found ${this.found()}`);
      }
    }
  }

  /** A quoted block label: a plain string; template sequences are reported and kept as written. */
  private parseLabelString(): BlockLabel {
    const expr = this.parseTemplate(TemplateMode.Quoted, this.lx.start, -1);
    const span = expr.span;
    if (expr.kind === 'literal') return { value: String(expr.value), span, quoted: true };
    this.error(span.start, span.end, 'A block label must be a plain string; template sequences ("${" or "%{") are not allowed here');
    return { value: this.text.slice(span.start + 1, Math.max(span.start + 1, span.end - 1)), span, quoted: true };
  }

  /**
   * Whether the current token starts a new line although no line-break token came before it: after
   * recovery skipped ahead, or when the token was read inside brackets that ignore line breaks.
   */
  private onNewLine(): boolean {
    const lx = this.lx;
    return lx.nlBefore || lx.atLineStart(lx.start);
  }

  /** A top-level block (`resource "..."`) in column 0: where an unclosed construct most likely ends. */
  private atTopKeyword(): boolean {
    const lx = this.lx;
    return lx.tok() === Tok.Ident && lx.atLineStart(lx.start) && lx.topKeywordAt(lx.start);
  }

  // ---- expressions -----------------------------------------------------------------------------------

  private reportTooDeep(start: number, end: number): void {
    if (this.deepReported) return;
    this.deepReported = true;
    this.error(start, end, `Nesting is too deep (more than ${MAX_DEPTH} levels); the rest of this construct is skipped`);
  }

  /** Skips a construct that is nested too deeply, without recursion. */
  private skipTooDeep(): Expr {
    const lx = this.lx;
    const s = lx.start;
    this.reportTooDeep(s, lx.end);
    const p = lx.skipRaw(s, !lx.skipNewlines);
    lx.pos = p;
    lx.next();
    return invalid(s, Math.max(s, p));
  }

  parseExpression(): Expr {
    if (this.depth >= MAX_DEPTH) return this.skipTooDeep();
    this.depth++;
    const lx = this.lx;
    let e = this.parseBinary(0);
    if (lx.tok() === Tok.Question) {
      const q = lx.end;
      lx.next();
      const then = this.parseExpressionOr("after '?'", q);
      let otherwise: Expr;
      if (lx.tok() === Tok.Colon) {
        const c = lx.end;
        lx.next();
        otherwise = this.parseExpressionOr("after ':'", c);
      } else {
        this.error(lx.start, lx.end, `Expected ':' in the conditional expression, found ${this.found()}`);
        otherwise = invalid(then.span.end, then.span.end);
      }
      e = { kind: 'conditional', cond: e, then, else: otherwise, span: { start: e.span.start, end: otherwise.span.end } };
    }
    this.depth--;
    return e;
  }

  /** An expression where one is required; reports `what` ("after '?'") when the line ends first. */
  private parseExpressionOr(what: string, at: number): Expr {
    const t = this.lx.tok();
    if (t === Tok.Newline || t === Tok.EOF) {
      this.error(at - 1, at, `Expected an expression ${what}`);
      return invalid(at, at);
    }
    return this.parseExpression();
  }

  /**
   * Long operator chains do not make this parser recurse, but they make deep trees, and whoever walks
   * the tree recursively would pay for it. So chains count towards the same depth limit as nesting.
   */
  private chainTooDeep(chain: number): boolean {
    if (this.depth + chain < MAX_DEPTH) return false;
    const lx = this.lx;
    this.reportTooDeep(lx.start, lx.end);
    lx.pos = lx.skipRaw(lx.start, !lx.skipNewlines);
    lx.next();
    return true;
  }

  private parseBinary(minPrec: number): Expr {
    const lx = this.lx;
    let left = this.parseUnary();
    let chain = 0;
    for (;;) {
      const prec = binaryPrecedence(lx.tok());
      if (prec <= minPrec) return left;
      if (this.chainTooDeep(++chain)) return left;
      const op = binaryOp(lx.tok());
      const opEnd = lx.end;
      lx.next();
      const t = lx.tok();
      let right: Expr;
      if (t === Tok.Newline || t === Tok.EOF) {
        this.error(opEnd - op.length, opEnd, `Expected an expression after '${op}'`);
        right = invalid(opEnd, opEnd);
      } else {
        right = this.parseBinary(prec);
      }
      left = { kind: 'binary', op, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private parseUnary(): Expr {
    const lx = this.lx;
    if (lx.tok() !== Tok.Minus && lx.tok() !== Tok.Bang) return this.parsePostfix(this.parsePrimary());
    // A chain of prefix operators is collected in a loop, so `!!!!…x` cannot recurse deeply.
    const ops: ('!' | '-')[] = [];
    const starts: number[] = [];
    while (lx.tok() === Tok.Minus || lx.tok() === Tok.Bang) {
      if (this.chainTooDeep(ops.length + 1)) return invalid(starts[0] ?? lx.start, lx.start);
      ops.push(lx.tok() === Tok.Minus ? '-' : '!');
      starts.push(lx.start);
      lx.next();
    }
    this.depth += ops.length;
    let e = this.parsePostfix(this.parsePrimary());
    this.depth -= ops.length;
    for (let i = ops.length - 1; i >= 0; i--) {
      e = { kind: 'unary', op: ops[i], operand: e, span: { start: starts[i], end: e.span.end } };
    }
    return e;
  }

  private parsePrimary(): Expr {
    const lx = this.lx;
    const text = this.text;
    const start = lx.start;
    switch (lx.tok()) {
      case Tok.Number: {
        const end = lx.end;
        if (lx.badNumber) {
          this.error(start, end, `Invalid number literal '${text.slice(start, end)}'${text.slice(start, end).split('.').length === 4 ? ' (an IP address must be a quoted string)' : ''}`);
          lx.next();
          return invalid(start, end);
        }
        const value = Number(text.slice(start, end));
        lx.next();
        return { kind: 'literal', value, span: { start, end } };
      }
      case Tok.Ident: {
        const end = lx.end;
        const name = text.slice(start, end);
        lx.next();
        if (lx.tok() === Tok.LParen) return this.parseCall(name, start, end);
        if (lx.tok() === Tok.DoubleColon) return this.parseNamespacedCall(start, end);
        switch (name) {
          case 'true':
            return { kind: 'literal', value: true, span: { start, end } };
          case 'false':
            return { kind: 'literal', value: false, span: { start, end } };
          case 'null':
            return { kind: 'literal', value: null, span: { start, end } };
        }
        return { kind: 'variable', name, span: { start, end } };
      }
      case Tok.OQuote:
        return this.parseTemplate(TemplateMode.Quoted, start, -1);
      case Tok.Heredoc:
        return this.parseTemplate(TemplateMode.Heredoc, start, -1);
      case Tok.LBrack:
        return this.parseTuple();
      case Tok.LBrace:
        return this.parseObject();
      case Tok.LParen:
        return this.parseParen();
      case Tok.Invalid: {
        this.error(start, lx.end, lx.invalidMessage);
        const end = lx.end;
        lx.next();
        return invalid(start, end);
      }
      default:
        this.error(start, Math.max(lx.end, start), `Expected an expression, found ${this.found()}`);
        return invalid(start, start);
    }
  }

  /** Restores the newline mode saved at an opening bracket, then steps over the closing one. */
  private closeBracket(saved: boolean): number {
    const lx = this.lx;
    const close = lx.start;
    lx.skipNewlines = saved;
    lx.next();
    return close + 1;
  }

  /** After a broken item inside brackets: skips to the closing bracket (or whatever ends the construct). */
  private recoverInBrackets(stopAtNewline: boolean): void {
    const lx = this.lx;
    lx.pos = lx.skipRaw(lx.start, stopAtNewline);
    lx.next();
  }

  private parseCall(name: string, nameStart: number, nameEnd: number): Expr {
    const lx = this.lx;
    const open = lx.start;
    const saved = lx.skipNewlines;
    lx.skipNewlines = true;
    lx.next();
    const args: Expr[] = [];
    let expandFinal = false;
    let end = -1;
    for (;;) {
      const t = lx.tok();
      if (t === Tok.RParen) {
        end = this.closeBracket(saved);
        break;
      }
      if (t === Tok.EOF || t === Tok.RBrace || t === Tok.RBrack || this.atTopKeyword()) {
        this.error(open, open + 1, `Expected ')' to close the call to '${name}' opened at line ${this.line(open)}`);
        break;
      }
      if (expandFinal) {
        this.error(lx.start, lx.end, "Expected ')' after the expanded argument ('...' must come last)");
        this.recoverInBrackets(false);
        continue;
      }
      const before = lx.start;
      args.push(this.parseExpression());
      if (lx.tok() === Tok.Ellipsis) {
        expandFinal = true;
        lx.next();
        continue;
      }
      if (lx.tok() === Tok.Comma) {
        lx.next();
        continue;
      }
      if (lx.tok() === Tok.RParen) continue;
      this.error(lx.start, lx.end, `Expected ',' or ')' after the argument to '${name}', found ${this.found()}`);
      this.recoverInBrackets(false);
      if (lx.start === before) lx.next();
    }
    lx.skipNewlines = saved;
    const e = end >= 0 ? end : args.length > 0 ? args[args.length - 1].span.end : open + 1;
    return { kind: 'call', name, nameSpan: { start: nameStart, end: nameEnd }, args: exact(args), expandFinal, span: { start: nameStart, end: e } };
  }

  /** `provider::aws::arn_parse(...)`: a provider-defined function. */
  private parseNamespacedCall(nameStart: number, firstEnd: number): Expr {
    const lx = this.lx;
    let nameEnd = firstEnd;
    while (lx.tok() === Tok.DoubleColon) {
      const colonEnd = lx.end;
      lx.next();
      if (lx.tok() !== Tok.Ident) {
        this.error(colonEnd - 2, colonEnd, `Expected a function name after '::', found ${this.found()}`);
        return invalid(nameStart, colonEnd);
      }
      nameEnd = lx.end;
      lx.next();
    }
    const name = this.text.slice(nameStart, nameEnd);
    if (lx.tok() !== Tok.LParen) {
      this.error(nameStart, nameEnd, `Expected '(' after the function name '${name}'`);
      return invalid(nameStart, nameEnd);
    }
    return this.parseCall(name, nameStart, nameEnd);
  }

  private parseParen(): Expr {
    const lx = this.lx;
    const open = lx.start;
    const saved = lx.skipNewlines;
    lx.skipNewlines = true;
    lx.next();
    const inner = this.parseExpressionOr("after '('", open + 1);
    let end: number;
    if (lx.tok() === Tok.RParen) {
      end = this.closeBracket(saved);
    } else {
      this.error(lx.start, lx.end, `Expected ')' to close the '(' at line ${this.line(open)}, found ${this.found()}`);
      this.recoverInBrackets(false);
      if (lx.tok() === Tok.RParen) end = this.closeBracket(saved);
      else {
        lx.skipNewlines = saved;
        end = inner.span.end;
      }
    }
    return { kind: 'paren', expr: inner, span: { start: open, end } };
  }

  private isForKeyword(): boolean {
    const lx = this.lx;
    return lx.tok() === Tok.Ident && lx.end - lx.start === 3 && this.text.startsWith('for', lx.start);
  }

  private isKeyword(word: string): boolean {
    const lx = this.lx;
    return lx.tok() === Tok.Ident && lx.end - lx.start === word.length && this.text.startsWith(word, lx.start);
  }

  private parseTuple(): Expr {
    const lx = this.lx;
    const open = lx.start;
    const saved = lx.skipNewlines;
    lx.skipNewlines = true;
    lx.next();
    if (this.isForKeyword()) return this.parseFor(open, false, saved);
    const items: Expr[] = [];
    let end = -1;
    for (;;) {
      const t = lx.tok();
      if (t === Tok.RBrack) {
        end = this.closeBracket(saved);
        break;
      }
      if (t === Tok.EOF || t === Tok.RBrace || t === Tok.RParen || this.atTopKeyword()) {
        this.error(open, open + 1, `Expected ']' to close the list opened at line ${this.line(open)}`);
        break;
      }
      const before = lx.start;
      items.push(this.parseExpression());
      if (lx.tok() === Tok.Comma) {
        lx.next();
        continue;
      }
      if (lx.tok() === Tok.RBrack) continue;
      this.error(lx.start, lx.end, `Expected ',' or ']' after the list item, found ${this.found()}`);
      this.recoverInBrackets(false);
      if (lx.start === before) lx.next();
    }
    lx.skipNewlines = saved;
    const e = end >= 0 ? end : items.length > 0 ? items[items.length - 1].span.end : open + 1;
    return { kind: 'tuple', items: exact(items), span: { start: open, end: e } };
  }

  /**
   * An object key: a bare name followed by `=` or `:` is the key itself (HCL reads `{ a = 1 }` as key
   * "a", not a reference to `a`); anything else is an expression (`"b"`, `(var.k)`, `1`).
   */
  private parseObjectKey(): Expr {
    const lx = this.lx;
    if (lx.tok() === Tok.Ident) {
      const text = this.text;
      let q = lx.end;
      while (q < lx.len && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      const c = text.charCodeAt(q);
      const c1 = text.charCodeAt(q + 1);
      if ((c === 61 && c1 !== 61 && c1 !== 62) || (c === 58 && c1 !== 58)) {
        const key: LiteralExpr = { kind: 'literal', value: lx.tokenText(), span: { start: lx.start, end: lx.end } };
        lx.next();
        return key;
      }
    }
    return this.parseExpression();
  }

  private parseObject(): Expr {
    const lx = this.lx;
    const open = lx.start;
    const saved = lx.skipNewlines;
    // Inside an object constructor line breaks separate items, even within brackets that ignore them.
    lx.skipNewlines = false;
    lx.next();
    while (lx.tok() === Tok.Newline) lx.next();
    if (this.isForKeyword()) {
      lx.skipNewlines = true;
      return this.parseFor(open, true, saved);
    }
    const items: ObjectItem[] = [];
    let end = -1;
    for (;;) {
      const t = lx.tok();
      if (t === Tok.Newline) {
        lx.next();
        continue;
      }
      if (t === Tok.RBrace) {
        end = this.closeBracket(saved);
        break;
      }
      if (t === Tok.EOF || t === Tok.RBrack || t === Tok.RParen || this.atTopKeyword()) {
        this.error(open, open + 1, `Expected '}' to close the object opened at line ${this.line(open)}`);
        break;
      }
      const before = lx.start;
      const key = this.parseObjectKey();
      if (lx.tok() !== Tok.Eq && lx.tok() !== Tok.Colon) {
        this.error(lx.start, lx.end, `Expected '=' after the object key, found ${this.found()}`);
        if (lx.tok() !== Tok.Newline) this.recoverInBrackets(true);
        if (lx.start === before) lx.next();
        continue;
      }
      const eqEnd = lx.end;
      lx.next();
      let value: Expr;
      const vt = lx.tok();
      if (vt === Tok.Newline || vt === Tok.EOF || vt === Tok.RBrace || vt === Tok.Comma) {
        this.error(eqEnd - 1, eqEnd, 'Expected a value after the object key');
        value = invalid(eqEnd, eqEnd);
      } else {
        value = this.parseExpression();
      }
      items.push({ key, value, span: { start: key.span.start, end: Math.max(value.span.end, eqEnd) } });
      const st = lx.tok();
      if (st === Tok.Comma || st === Tok.Newline) {
        lx.next();
        continue;
      }
      if (st === Tok.RBrace || st === Tok.EOF || this.onNewLine()) continue;
      this.error(lx.start, lx.end, `Expected ',' or a line break between object items, found ${this.found()}`);
      this.recoverInBrackets(true);
      if (lx.start === before) lx.next();
    }
    lx.skipNewlines = saved;
    const e = end >= 0 ? end : items.length > 0 ? items[items.length - 1].span.end : open + 1;
    return { kind: 'object', items: exact(items), span: { start: open, end: e } };
  }

  /** `[for ...]` / `{for ...}`; the current token is `for` and line breaks are already ignored. */
  private parseFor(open: number, object: boolean, saved: boolean): Expr {
    const lx = this.lx;
    const closer = object ? Tok.RBrace : Tok.RBrack;
    const closeChar = object ? '}' : ']';
    lx.next();
    const e: ForExpr = {
      kind: 'for',
      object,
      valueVar: '',
      collection: invalid(lx.start, lx.start),
      valueExpr: invalid(lx.start, lx.start),
      group: false,
      span: { start: open, end: open + 1 },
    };
    let ok = false;
    parse: {
      if (lx.tok() !== Tok.Ident) {
        this.error(lx.start, lx.end, `Expected a variable name after 'for', found ${this.found()}`);
        break parse;
      }
      e.valueVar = lx.tokenText();
      lx.next();
      if (lx.tok() === Tok.Comma) {
        lx.next();
        if (lx.tok() !== Tok.Ident) {
          this.error(lx.start, lx.end, `Expected a second variable name after ',', found ${this.found()}`);
          break parse;
        }
        e.keyVar = e.valueVar;
        e.valueVar = lx.tokenText();
        lx.next();
      }
      if (!this.isKeyword('in')) {
        this.error(lx.start, lx.end, `Expected 'in' in the for expression, found ${this.found()}`);
        break parse;
      }
      lx.next();
      e.collection = this.parseExpression();
      if (lx.tok() !== Tok.Colon) {
        this.error(lx.start, lx.end, `Expected ':' after the collection of the for expression, found ${this.found()}`);
        break parse;
      }
      lx.next();
      if (object) {
        e.keyExpr = this.parseExpression();
        if (lx.tok() !== Tok.FatArrow) {
          this.error(lx.start, lx.end, `Expected '=>' after the key of the for expression, found ${this.found()}`);
          break parse;
        }
        lx.next();
      }
      e.valueExpr = this.parseExpression();
      if (object && lx.tok() === Tok.Ellipsis) {
        e.group = true;
        lx.next();
      }
      if (this.isKeyword('if')) {
        lx.next();
        e.cond = this.parseExpression();
      }
      if (lx.tok() !== closer) {
        this.error(lx.start, lx.end, `Expected '${closeChar}' to close the for expression opened at line ${this.line(open)}, found ${this.found()}`);
        break parse;
      }
      ok = true;
    }
    if (!ok) {
      if (lx.tok() !== closer) this.recoverInBrackets(false);
    }
    if (lx.tok() === closer) {
      e.span.end = this.closeBracket(saved);
    } else {
      lx.skipNewlines = saved;
      e.span.end = Math.max(open + 1, (e.cond ?? e.valueExpr).span.end, e.collection.span.end);
    }
    return e;
  }

  private parsePostfix(e: Expr): Expr {
    const lx = this.lx;
    const base = this.depth;
    for (;;) {
      const t = lx.tok();
      if (t !== Tok.Dot && t !== Tok.LBrack) break;
      // Each step wraps the expression once more; index keys are parsed below that depth.
      if (this.chainTooDeep(this.depth - base + 1)) break;
      this.depth++;
      if (t === Tok.Dot) {
        if (this.charAfterToken() === 42 /* * */) {
          const s = lx.start;
          lx.next();
          const starEnd = lx.end;
          lx.next();
          e = this.parseSplat(e, s, starEnd, true);
        } else {
          e = this.parseDotStep(e);
        }
        continue;
      }
      const splatEnd = this.fullSplatEnd();
      if (splatEnd >= 0) {
        const s = lx.start;
        lx.pos = splatEnd;
        lx.next();
        e = this.parseSplat(e, s, splatEnd, false);
      } else {
        e = this.parseIndexStep(e);
      }
    }
    this.depth = base;
    return e;
  }

  /** The first non-blank character after the current token. */
  private charAfterToken(): number {
    const text = this.text;
    let q = this.lx.end;
    while (q < this.lx.len && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
    return q < this.lx.len ? text.charCodeAt(q) : -1;
  }

  /** When the current `[` starts `[*]`, the offset after the `]`; otherwise -1. */
  private fullSplatEnd(): number {
    const text = this.text;
    const n = this.lx.len;
    let q = this.lx.end;
    while (q < n && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
    if (q >= n || text.charCodeAt(q) !== 42) return -1;
    q++;
    while (q < n && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
    return q < n && text.charCodeAt(q) === 93 ? q + 1 : -1;
  }

  /**
   * The traversal after a splat applies to each element. After `[*]` it takes attributes and indexes;
   * after `.*` only attributes, so `a.*.b[0]` indexes the result, as in HCL. Another splat ends it.
   */
  private parseSplat(source: Expr, start: number, end: number, attrOnly: boolean): Expr {
    const lx = this.lx;
    let each: Expr = { kind: 'splatItem', span: { start, end } };
    const base = this.depth;
    for (;;) {
      const step = (lx.tok() === Tok.Dot && this.charAfterToken() !== 42) || (lx.tok() === Tok.LBrack && !attrOnly && this.fullSplatEnd() < 0);
      if (!step || this.chainTooDeep(this.depth - base + 1)) break;
      this.depth++;
      each = lx.tok() === Tok.Dot ? this.parseDotStep(each) : this.parseIndexStep(each);
    }
    this.depth = base;
    return { kind: 'splat', source, each, span: { start: source.span.start, end: each.span.end } };
  }

  /** `.name` or the legacy `.0`; the current token is the dot. */
  private parseDotStep(object: Expr): Expr {
    const lx = this.lx;
    const dotStart = lx.start;
    const dotEnd = lx.end;
    lx.next();
    if (lx.tok() === Tok.Ident) {
      const nameSpan = { start: lx.start, end: lx.end };
      const name = lx.tokenText();
      lx.next();
      return { kind: 'getattr', object, name, nameSpan, span: { start: object.span.start, end: nameSpan.end } };
    }
    if (lx.tok() === Tok.Number && isDigit(this.text.charCodeAt(lx.start))) {
      const whole = lx.end;
      lx.digitsOnly();
      if (lx.end < whole) {
        const t = this.text.slice(lx.start, whole);
        if (this.text.charCodeAt(lx.end) === 46) {
          this.error(lx.start, whole, `Invalid legacy index syntax '.${t}': write the indexes as [${t.replace('.', '][')}]`);
        }
      }
      const key: LiteralExpr = { kind: 'literal', value: Number(lx.tokenText()), span: { start: lx.start, end: lx.end } };
      lx.next();
      return { kind: 'index', object, key, span: { start: object.span.start, end: key.span.end } };
    }
    // Half-typed `aws_vpc.`: keep the traversal with an empty name so completion still knows the object.
    this.error(dotStart, dotEnd, `Expected an attribute name after '.', found ${this.found()}`);
    return { kind: 'getattr', object, name: '', nameSpan: { start: dotEnd, end: dotEnd }, span: { start: object.span.start, end: dotEnd } };
  }

  /** `[key]`; the current token is the `[`. */
  private parseIndexStep(object: Expr): Expr {
    const lx = this.lx;
    const open = lx.start;
    const saved = lx.skipNewlines;
    lx.skipNewlines = true;
    lx.next();
    const key = this.parseExpressionOr("inside '[ ]'", open + 1);
    let end: number;
    if (lx.tok() === Tok.RBrack) {
      end = this.closeBracket(saved);
    } else {
      this.error(lx.start, lx.end, `Expected ']' to close the index opened at line ${this.line(open)}, found ${this.found()}`);
      this.recoverInBrackets(false);
      if (lx.tok() === Tok.RBrack) end = this.closeBracket(saved);
      else {
        lx.skipNewlines = saved;
        end = key.span.end;
      }
    }
    return { kind: 'index', object, key, span: { start: object.span.start, end } };
  }

  // ---- templates -------------------------------------------------------------------------------------

  /**
   * Parses a quoted template (the current token is its `"`), a heredoc (the current token is its header)
   * or a bare template spanning [start, limit) for JSON strings. Leaves the token after it current.
   */
  private parseTemplate(mode: TemplateMode, start: number, limit: number): Expr {
    const lx = this.lx;
    if (mode === TemplateMode.Quoted) {
      // Most strings are plain: read them without the template machinery.
      const pos = lx.pos;
      const errorCount = this.errors.length;
      if (lx.scanQuotedChunk() === Stop.Quote) {
        const value: LiteralExpr = { kind: 'literal', value: lx.chunkValue, span: { start, end: lx.stopEnd } };
        lx.next();
        return value;
      }
      // Not plain after all: scan again below, and report escape errors only once.
      this.errors.length = errorCount;
      lx.pos = pos;
    }
    const raws: RawPart[] = [];
    const heredoc = mode === TemplateMode.Heredoc;
    const indent = heredoc && lx.heredocIndent;
    const marker = heredoc ? lx.heredocMarker : '';
    let end: number;
    let lineStart = true;
    let hasNonLiteral = false;
    for (;;) {
      const stop = mode === TemplateMode.Quoted ? lx.scanQuotedChunk() : heredoc ? lx.scanHeredocChunk(lineStart) : lx.scanBareChunk(limit);
      if (lx.chunkEnd > lx.chunkStart) {
        raws.push(this.rawPart(0, lx.chunkStart, lx.chunkEnd, lineStart, lx.chunkValue));
        lineStart = false;
      }
      if (stop === Stop.Interp || stop === Stop.Directive) {
        hasNonLiteral = true;
        const part = stop === Stop.Interp ? this.parseInterpolation(mode, lineStart, limit) : this.parseDirective(mode, lineStart, limit);
        if (part) raws.push(part);
        lineStart = false;
        continue;
      }
      if (stop === Stop.LineEnd) {
        lineStart = true;
        continue;
      }
      if (stop === Stop.Quote || stop === Stop.End) {
        end = mode === TemplateMode.Bare ? limit : lx.stopEnd;
        break;
      }
      // Unterminated.
      end = lx.stopStart;
      if (mode === TemplateMode.Quoted) {
        this.error(start, Math.max(end, start + 1), 'Unterminated string: expected a closing \'"\' before the end of the line');
      } else {
        this.error(start, Math.min(lx.len, start + 2 + (indent ? 1 : 0) + marker.length), `Unterminated heredoc: expected a line containing only '${marker}'`);
      }
      break;
    }
    if (indent) this.flushHeredocIndent(raws);
    const expr = this.buildTemplate(raws, start, end, heredoc, hasNonLiteral);
    if (mode !== TemplateMode.Bare) {
      lx.pos = Math.max(lx.pos, end);
      lx.next();
    }
    return expr;
  }

  private rawPart(k: 0 | 1 | 2, start: number, end: number, lineStart: boolean, value: string): RawPart {
    return { k, start, end, lineStart, value, expr: undefined, dir: '', keyVar: undefined, valueVar: '', stripL: false, stripR: false };
  }

  /** `${ expr }`: the lexer has consumed `${` (or `${~`). */
  private parseInterpolation(mode: TemplateMode, lineStart: boolean, limit: number): RawPart {
    const lx = this.lx;
    const part = this.rawPart(1, lx.stopStart, lx.stopEnd, lineStart, '');
    part.stripL = lx.stopStrip;
    const saved = lx.skipNewlines;
    lx.skipNewlines = true;
    lx.next();
    if (lx.tok() === Tok.RBrace || lx.tok() === Tok.StripRBrace) {
      this.error(part.start, lx.end, "Expected an expression between '${' and '}'");
      part.expr = invalid(lx.start, lx.start);
    } else {
      part.expr = this.parseExpression();
    }
    this.finishTemplateSequence(part, mode, limit, 'interpolation');
    lx.skipNewlines = saved;
    return part;
  }

  /** `%{ if cond }`, `%{ else }`, `%{ endif }`, `%{ for k, v in coll }`, `%{ endfor }`. */
  private parseDirective(mode: TemplateMode, lineStart: boolean, limit: number): RawPart | undefined {
    const lx = this.lx;
    const part = this.rawPart(2, lx.stopStart, lx.stopEnd, lineStart, '');
    part.stripL = lx.stopStrip;
    const saved = lx.skipNewlines;
    lx.skipNewlines = true;
    lx.next();
    const word = lx.tok() === Tok.Ident ? lx.tokenText() : '';
    let ok = true;
    switch (word) {
      case 'if':
        lx.next();
        part.dir = 'if';
        part.expr = this.parseExpressionOr("after '%{if'", lx.start);
        break;
      case 'else':
      case 'endif':
      case 'endfor':
        lx.next();
        part.dir = word;
        break;
      case 'for':
        lx.next();
        part.dir = 'for';
        if (lx.tok() !== Tok.Ident) {
          ok = false;
          break;
        }
        part.valueVar = lx.tokenText();
        lx.next();
        if (lx.tok() === Tok.Comma) {
          lx.next();
          if (lx.tok() !== Tok.Ident) {
            ok = false;
            break;
          }
          part.keyVar = part.valueVar;
          part.valueVar = lx.tokenText();
          lx.next();
        }
        if (!this.isKeyword('in')) {
          ok = false;
          break;
        }
        lx.next();
        part.expr = this.parseExpression();
        break;
      default:
        ok = false;
    }
    if (!ok) {
      this.error(part.start, Math.max(lx.end, part.end), word === 'for'
        ? "Invalid '%{for}' directive: expected '%{for name in collection}' or '%{for key, value in collection}'"
        : `Expected 'if', 'else', 'endif', 'for' or 'endfor' after '%{', found ${this.found()}`);
    }
    this.finishTemplateSequence(part, mode, limit, 'directive');
    lx.skipNewlines = saved;
    return ok ? part : undefined;
  }

  /**
   * Expects the `}` / `~}` that ends an interpolation or directive and positions the lexer after it for
   * the next chunk. Without one, reports the sequence as unterminated and resumes at a sensible place.
   */
  private finishTemplateSequence(part: RawPart, mode: TemplateMode, limit: number, what: string): void {
    const lx = this.lx;
    if (lx.tok() === Tok.RBrace || lx.tok() === Tok.StripRBrace) {
      part.stripR = lx.tok() === Tok.StripRBrace;
      part.end = lx.end;
      lx.pos = lx.end;
      return;
    }
    const exprEnd = part.expr ? part.expr.span.end : part.end;
    this.error(part.start, Math.max(exprEnd, part.end), `Unterminated template ${what}: expected '}' to close the '${this.text.slice(part.start, part.start + 2)}' here`);
    part.end = Math.max(exprEnd, part.end);
    const text = this.text;
    const n = mode === TemplateMode.Bare ? limit : lx.len;
    // Resume after a `}` later on the same line, or (in a quoted string) at its closing quote.
    let q = lx.start;
    if (mode === TemplateMode.Quoted && lx.tok() === Tok.OQuote) {
      lx.pos = q;
      return;
    }
    // When the expression ran on past the end of the line it started on, the lines after it are more
    // likely the next arguments than part of this template: end the template's line there.
    const nl = text.indexOf('\n', part.start);
    if (mode !== TemplateMode.Bare && nl !== -1 && nl < q) {
      lx.pos = nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      return;
    }
    while (q < n) {
      const c = text.charCodeAt(q);
      if (c === 125) {
        lx.pos = q + 1;
        return;
      }
      if (c === 10 || (c === 34 && mode === TemplateMode.Quoted)) break;
      q++;
    }
    lx.pos = Math.min(q, n);
  }

  /**
   * `<<-` heredocs drop the indentation common to all their lines, computed like HCL does: over the
   * literal text at the start of each line, ignoring blank lines; a line that starts with `${` counts
   * as unindented.
   */
  private flushHeredocIndent(raws: RawPart[]): void {
    let min = Number.MAX_SAFE_INTEGER;
    const adjust: RawPart[] = [];
    for (const r of raws) {
      if (!r.lineStart) continue;
      if (r.k !== 0) {
        min = 0;
        continue;
      }
      const v = r.value;
      let i = 0;
      while (i < v.length && isTemplateSpace(v.charCodeAt(i))) i++;
      if (i === v.length && v.charCodeAt(v.length - 1) === 10) continue;
      adjust.push(r);
      if (i < min) min = i;
    }
    if (min === 0 || min === Number.MAX_SAFE_INTEGER) return;
    for (const r of adjust) r.value = r.value.slice(min);
  }

  private buildTemplate(raws: RawPart[], start: number, end: number, heredoc: boolean, hasNonLiteral: boolean): Expr {
    if (!hasNonLiteral) {
      let value = '';
      for (const r of raws) value += r.value;
      return { kind: 'literal', value, span: { start, end } };
    }
    // Strip markers remove the whitespace (line breaks included) on their side of the adjacent text.
    for (let i = 0; i < raws.length; i++) {
      const r = raws[i];
      if (r.k === 0) continue;
      if (r.stripL && i > 0 && raws[i - 1].k === 0) raws[i - 1].value = trimTemplateSpaceEnd(raws[i - 1].value);
      if (r.stripR && i + 1 < raws.length && raws[i + 1].k === 0) raws[i + 1].value = trimTemplateSpaceStart(raws[i + 1].value);
    }
    const root: TemplateFrame = { kind: 'root', parts: [], open: undefined, then: undefined, litOpen: false };
    const stack: TemplateFrame[] = [root];
    for (const r of raws) {
      const frame = stack[stack.length - 1];
      if (r.k === 0) {
        if (r.value === '') continue;
        const last = frame.parts[frame.parts.length - 1];
        if (frame.litOpen && last.kind === 'literal') {
          last.value = (last.value as string) + r.value;
          last.span.end = r.end;
        } else {
          frame.parts.push({ kind: 'literal', value: r.value, span: { start: r.start, end: r.end } });
          frame.litOpen = true;
        }
        continue;
      }
      if (r.k === 1) {
        frame.parts.push(r.expr as Expr);
        frame.litOpen = false;
        continue;
      }
      switch (r.dir) {
        case 'if':
        case 'for':
          if (this.depth + stack.length >= MAX_DEPTH) {
            this.reportTooDeep(r.start, r.end);
            break;
          }
          stack.push({ kind: r.dir, parts: [], open: r, then: undefined, litOpen: false });
          break;
        case 'else':
          if (frame.kind === 'if' && frame.then === undefined) {
            frame.then = frame.parts;
            frame.parts = [];
            frame.litOpen = false;
          } else {
            this.error(r.start, r.end, frame.kind === 'if' ? "Duplicate '%{else}' in this '%{if}'" : "'%{else}' without a matching '%{if}'");
          }
          break;
        case 'endif':
        case 'endfor': {
          const want = r.dir === 'endif' ? 'if' : 'for';
          if (frame.kind !== want) {
            this.error(r.start, r.end, frame.kind === 'root'
              ? `'%{${r.dir}}' without a matching '%{${want}}'`
              : `Expected '%{end${frame.kind}}' before '%{${r.dir}}'`);
            break;
          }
          stack.pop();
          const parent = stack[stack.length - 1];
          parent.parts.push(this.closeDirective(frame, r.end));
          parent.litOpen = false;
          break;
        }
      }
    }
    while (stack.length > 1) {
      const frame = stack.pop() as TemplateFrame;
      const open = frame.open as RawPart;
      this.error(open.start, open.end, `Expected '%{end${frame.kind}}' to close the '%{${frame.kind}}' directive at line ${this.line(open.start)}`);
      const parent = stack[stack.length - 1];
      parent.parts.push(this.closeDirective(frame, end));
      parent.litOpen = false;
    }
    return { kind: 'template', parts: exact(root.parts), heredoc, span: { start, end } };
  }

  private closeDirective(frame: TemplateFrame, end: number): TemplateIfExpr | TemplateForExpr {
    const open = frame.open as RawPart;
    const span = { start: open.start, end };
    const cond = open.expr ?? invalid(open.end, open.end);
    if (frame.kind === 'if') {
      if (frame.then === undefined) return { kind: 'templateIf', cond, then: exact(frame.parts), span };
      return { kind: 'templateIf', cond, then: exact(frame.then), else: exact(frame.parts), span };
    }
    const e: TemplateForExpr = { kind: 'templateFor', valueVar: open.valueVar, collection: cond, body: exact(frame.parts), span };
    if (open.keyVar !== undefined) e.keyVar = open.keyVar;
    return e;
  }

  /** Parses [start, end) of the source as a bare template (the content of a JSON string). */
  parseBareTemplate(start: number, end: number): Expr {
    this.lx.pos = start;
    return this.parseTemplate(TemplateMode.Bare, start, end);
  }
}

