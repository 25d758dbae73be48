import { parseTree, ParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { Span } from '../../model/span';
import type { Block, BlockLabel, Body, BodyItem, Comment, Expr, HclFile, ObjectItem, SyntaxError as HclSyntaxError } from './ast';
import { MAX_DEPTH, Parser } from './parser';

export interface TfJsonOptions {
  /** A `.tfvars.json` file: every top-level property is a variable value, not a block. */
  tfvars?: boolean;
}

/**
 * How many labels each top-level block type has in Terraform's JSON syntax (`"resource": {"aws_vpc":
 * {"main": {...}}}`). Other top-level keys (`locals`, `terraform`, `moved`, `import`, ...) are blocks
 * without labels.
 */
const LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  ephemeral: 2,
  module: 1,
  variable: 1,
  output: 1,
  provider: 1,
  check: 1,
};

const JSON_ERRORS: Record<number, string> = {
  [ParseErrorCode.InvalidSymbol]: 'Invalid symbol in JSON',
  [ParseErrorCode.InvalidNumberFormat]: 'Invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'Expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'Expected a value',
  [ParseErrorCode.ColonExpected]: "Expected ':' after the property name",
  [ParseErrorCode.CommaExpected]: "Expected ','",
  [ParseErrorCode.CloseBraceExpected]: "Expected '}'",
  [ParseErrorCode.CloseBracketExpected]: "Expected ']'",
  [ParseErrorCode.EndOfFileExpected]: 'Expected the end of the file after the top-level value',
  [ParseErrorCode.InvalidCommentToken]: 'Comments are not allowed in JSON; use a "//" property instead',
  [ParseErrorCode.UnexpectedEndOfComment]: 'Unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'Unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'Unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'Invalid \\u escape sequence',
  [ParseErrorCode.InvalidEscapeCharacter]: 'Invalid escape sequence',
  [ParseErrorCode.InvalidCharacter]: 'Invalid character in a string (control characters must be escaped)',
};

/**
 * Parses Terraform's JSON syntax (`.tf.json`, or `.tfvars.json` with `{ tfvars: true }`) into the same
 * tree as the native syntax. Block bodies hold attributes only: a nested block written as a JSON object
 * or array of objects becomes an attribute whose value is an object or tuple, which is how the evaluator
 * sees nested blocks anyway. Strings are HCL templates, so `"${aws_vpc.main.id}"` becomes a reference
 * with spans inside the JSON string. Never throws.
 */
export function parseTfJson(text: string, options: TfJsonOptions = {}): HclFile {
  const errors: HclSyntaxError[] = [];
  const comments: Comment[] = [];
  const items: BodyItem[] = [];
  try {
    new TfJsonReader(text, errors, comments).read(items, options.tfvars === true);
  } catch (e) {
    // jsonc-parser recurses, so absurdly deep JSON exhausts the stack there; say so rather than crash.
    errors.push({
      message: e instanceof RangeError ? 'The JSON is nested too deeply to be read' : `Internal error in the Terraform JSON parser: ${e instanceof Error ? e.message : String(e)}`,
      span: { start: 0, end: Math.min(1, text.length) },
    });
  }
  return { body: { items, span: { start: 0, end: text.length } }, errors, comments };
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** The span of a string node's content, without its quotes. */
function innerSpan(node: Node, text: string): Span {
  const end = node.offset + node.length;
  const closed = node.length >= 2 && text.charCodeAt(end - 1) === 34;
  return { start: node.offset + 1, end: closed ? end - 1 : end };
}

class TfJsonReader {
  private lineStarts: number[] | undefined;
  private depth = 0;
  private deepReported = false;

  constructor(
    private readonly text: string,
    private readonly errors: HclSyntaxError[],
    private readonly comments: Comment[],
  ) {}

  read(items: BodyItem[], tfvars: boolean): void {
    const text = this.text;
    // jsonc-parser does not skip a byte order mark; a space of the same length keeps every offset.
    const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
    const jsonErrors: ParseError[] = [];
    const root = parseTree(source, jsonErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    for (const e of jsonErrors) {
      this.errors.push({ message: JSON_ERRORS[e.error] ?? 'Invalid JSON', span: { start: e.offset, end: e.offset + Math.max(e.length, 0) } });
    }
    if (!root) return;
    if (root.type !== 'object') {
      this.errors.push({ message: 'A Terraform JSON file must contain one JSON object', span: spanOf(root) });
      return;
    }
    for (const prop of root.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode || !valueNode) continue;
      const key = String(keyNode.value);
      if (key === '//') {
        this.comment(prop, valueNode);
        continue;
      }
      if (tfvars) items.push(this.attribute(prop, keyNode, valueNode));
      else this.topLevel(items, prop, keyNode, valueNode);
    }
  }

  /** A `"//"` property is a comment; its text gets a `//` marker so comment readers treat it alike. */
  private comment(prop: Node, value: Node): void {
    const body = value.type === 'string' ? String(value.value) : this.text.slice(value.offset, value.offset + value.length);
    this.comments.push({ text: `// ${body}`, span: spanOf(prop) });
  }

  private topLevel(items: BodyItem[], prop: Node, keyNode: Node, valueNode: Node): void {
    const type = String(keyNode.value);
    const labels = LABELS[type] ?? 0;
    if (valueNode.type !== 'object' && valueNode.type !== 'array') {
      // Not a block at all; keep it visible as an attribute rather than dropping it.
      items.push(this.attribute(prop, keyNode, valueNode));
      return;
    }
    this.blocks(items, type, innerSpan(keyNode, this.text), prop, valueNode, labels, []);
  }

  /** Emits the blocks under `node`, descending one object level per label; arrays repeat the level. */
  private blocks(items: BodyItem[], type: string, typeSpan: Span, owner: Node, node: Node, labelsLeft: number, labels: BlockLabel[]): void {
    if (node.type === 'array') {
      for (const element of node.children ?? []) this.blocks(items, type, typeSpan, owner, element, labelsLeft, labels);
      return;
    }
    if (node.type !== 'object') {
      this.errors.push({
        message: labelsLeft > 0 ? `Expected a JSON object of ${type} names here` : `Expected a JSON object for the body of the '${type}' block`,
        span: spanOf(node),
      });
      return;
    }
    if (labelsLeft > 0) {
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || !valueNode) continue;
        if (keyNode.value === '//') {
          this.comment(prop, valueNode);
          continue;
        }
        const label: BlockLabel = { value: String(keyNode.value), span: spanOf(keyNode), quoted: true };
        this.blocks(items, type, typeSpan, prop, valueNode, labelsLeft - 1, [...labels, label]);
      }
      return;
    }
    const block: Block = {
      kind: 'block',
      type,
      typeSpan,
      labels,
      body: this.body(node),
      // The innermost property that holds the body: in JSON the type and labels are spread over
      // enclosing objects that other blocks share, so this is the part that belongs to this block.
      span: { start: owner.offset, end: node.offset + node.length },
      openBrace: node.offset,
      closeBrace: this.text.charCodeAt(node.offset + node.length - 1) === 125 ? node.offset + node.length - 1 : -1,
    };
    items.push(block);
  }

  private body(node: Node): Body {
    const items: BodyItem[] = [];
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode || !valueNode) continue;
      if (keyNode.value === '//') {
        this.comment(prop, valueNode);
        continue;
      }
      items.push(this.attribute(prop, keyNode, valueNode));
    }
    const end = node.offset + node.length;
    const closed = this.text.charCodeAt(end - 1) === 125;
    return { items, span: { start: node.offset + 1, end: closed ? end - 1 : end } };
  }

  private attribute(prop: Node, keyNode: Node, valueNode: Node): BodyItem {
    return {
      kind: 'attribute',
      name: String(keyNode.value),
      nameSpan: innerSpan(keyNode, this.text),
      expr: this.expr(valueNode),
      span: spanOf(prop),
    };
  }

  private expr(node: Node): Expr {
    if (this.depth >= MAX_DEPTH) {
      // jsonc-parser builds any depth; converting it recursively must stop somewhere.
      if (!this.deepReported) this.errors.push({ message: `Nesting is too deep (more than ${MAX_DEPTH} levels)`, span: spanOf(node) });
      this.deepReported = true;
      return { kind: 'invalid', span: spanOf(node) };
    }
    this.depth++;
    const e = this.value(node);
    this.depth--;
    return e;
  }

  private value(node: Node): Expr {
    switch (node.type) {
      case 'string':
        return this.string(node);
      case 'number':
        return { kind: 'literal', value: Number(node.value), span: spanOf(node) };
      case 'boolean':
        return { kind: 'literal', value: node.value === true, span: spanOf(node) };
      case 'null':
        return { kind: 'literal', value: null, span: spanOf(node) };
      case 'array':
        return { kind: 'tuple', items: (node.children ?? []).map((c) => this.expr(c)), span: spanOf(node) };
      case 'object': {
        const items: ObjectItem[] = [];
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? [];
          if (!keyNode || !valueNode) continue;
          if (keyNode.value === '//') {
            // Terraform reads "//" as a comment in block bodies; nested blocks arrive here as objects.
            this.comment(prop, valueNode);
            continue;
          }
          items.push({
            key: { kind: 'literal', value: String(keyNode.value), span: spanOf(keyNode) },
            value: this.expr(valueNode),
            span: spanOf(prop),
          });
        }
        return { kind: 'object', items, span: spanOf(node) };
      }
      default:
        return { kind: 'invalid', span: spanOf(node) };
    }
  }

  /** A JSON string is an HCL template. */
  private string(node: Node): Expr {
    const value = String(node.value ?? '');
    const span = spanOf(node);
    if (value.indexOf('${') === -1 && value.indexOf('%{') === -1) return { kind: 'literal', value, span };
    const text = this.text;
    const inner = innerSpan(node, text);
    if (text.slice(inner.start, inner.end) === value) {
      // No JSON escapes: the template's offsets are the file's offsets. The parsers of all strings share
      // one table of line starts, so messages with line numbers stay cheap in big files.
      const parser = new Parser(text, this.errors, this.comments, inner.start, inner.end, this.lineStarts);
      const e = parser.parseBareTemplate(inner.start, inner.end);
      this.lineStarts ??= parser.lx.lineStartsIfComputed();
      e.span = span;
      return e;
    }
    // With escapes, the decoded text is parsed on its own and its offsets are mapped back through the
    // escapes, so `\"` inside `"${lookup(m, \"k\")}"` still leaves every node on its own source text.
    const offsets = sourceOffsets(text, inner.start, inner.end, value.length);
    const errors: HclSyntaxError[] = [];
    const comments: Comment[] = [];
    const e = new Parser(value, errors, comments, 0, value.length).parseBareTemplate(0, value.length);
    const map = offsets
      ? (s: Span): Span => ({ start: offsets[Math.min(s.start, value.length)], end: offsets[Math.min(s.end, value.length)] })
      : (): Span => ({ start: span.start, end: span.end });
    for (const err of errors) this.errors.push({ message: err.message, span: map(err.span) });
    for (const c of comments) this.comments.push({ text: c.text, span: map(c.span) });
    mapSpans(e, map);
    e.span = span;
    return e;
  }
}

/**
 * For the content of a JSON string at [start, end) of `text` whose decoded value has `length` UTF-16
 * units: the source offset of every decoded offset (0..length). Undefined if the escapes do not add up,
 * which only happens for invalid JSON.
 */
function sourceOffsets(text: string, start: number, end: number, length: number): Int32Array | undefined {
  const offsets = new Int32Array(length + 1);
  let d = 0;
  let p = start;
  while (p < end && d < length) {
    offsets[d++] = p;
    if (text.charCodeAt(p) === 92 /* \ */) p += text.charCodeAt(p + 1) === 117 /* u */ ? 6 : 2;
    else p++;
  }
  if (d !== length || p !== end) return undefined;
  offsets[length] = end;
  return offsets;
}

/** Replaces every span in an expression (iteratively, whatever the depth). */
function mapSpans(root: Expr, map: (s: Span) => Span): void {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    e.span = map(e.span);
    switch (e.kind) {
      case 'template':
        stack.push(...e.parts);
        break;
      case 'templateIf':
        stack.push(e.cond, ...e.then, ...(e.else ?? []));
        break;
      case 'templateFor':
        stack.push(e.collection, ...e.body);
        break;
      case 'tuple':
        stack.push(...e.items);
        break;
      case 'object':
        for (const item of e.items) {
          item.span = map(item.span);
          stack.push(item.key, item.value);
        }
        break;
      case 'getattr':
        e.nameSpan = map(e.nameSpan);
        stack.push(e.object);
        break;
      case 'index':
        stack.push(e.object, e.key);
        break;
      case 'splat':
        stack.push(e.source, e.each);
        break;
      case 'call':
        e.nameSpan = map(e.nameSpan);
        stack.push(...e.args);
        break;
      case 'for':
        stack.push(e.collection, e.valueExpr);
        if (e.keyExpr) stack.push(e.keyExpr);
        if (e.cond) stack.push(e.cond);
        break;
      case 'conditional':
        stack.push(e.cond, e.then, e.else);
        break;
      case 'binary':
        stack.push(e.left, e.right);
        break;
      case 'unary':
        stack.push(e.operand);
        break;
      case 'paren':
        stack.push(e.expr);
        break;
      default:
        break;
    }
  }
}
