import { parseTree, type Node as JsonNode, type ParseError, ParseErrorCode } from 'jsonc-parser';
import type { CfnEntry, CfnNode, CfnParseResult, CfnSyntaxError } from './tree';

const MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'invalid symbol',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'property name expected',
  [ParseErrorCode.ValueExpected]: 'value expected',
  [ParseErrorCode.ColonExpected]: "':' expected",
  [ParseErrorCode.CommaExpected]: "',' expected",
  [ParseErrorCode.CloseBraceExpected]: "'}' expected",
  [ParseErrorCode.CloseBracketExpected]: "']' expected",
  [ParseErrorCode.EndOfFileExpected]: 'end of file expected',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in a JSON template',
  [ParseErrorCode.UnexpectedEndOfComment]: 'unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unexpected end of number',
  [ParseErrorCode.InvalidUnicode]: 'invalid unicode escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in string',
};

/**
 * Parses a JSON template into the template tree. Never throws. CloudFormation reads strict JSON, so
 * comments, trailing commas and duplicate keys are errors (the parse goes on after each of them).
 */
export function parseCfnJson(text: string): CfnParseResult {
  try {
    return parseUnsafe(text);
  } catch (e) {
    return {
      root: undefined,
      errors: [{ message: `could not read the JSON: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } }],
      comments: [],
    };
  }
}

function parseUnsafe(text: string): CfnParseResult {
  // jsonc-parser rejects a byte order mark; a space of the same length keeps every offset right.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const raw: ParseError[] = [];
  const tree = parseTree(source, raw, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const errors: CfnSyntaxError[] = [];
  const seen = new Set<number>();
  for (const e of raw) {
    // One mistake often yields two codes at the same offset (`,}` gives "property name" and "value" expected).
    if (seen.has(e.offset)) continue;
    seen.add(e.offset);
    const start = Math.min(e.offset, text.length);
    let end = Math.min(e.offset + e.length, text.length);
    if (end === start && start < text.length) end = start + 1;
    errors.push({ message: MESSAGES[e.error] ?? 'invalid JSON', span: { start, end } });
  }
  const root = tree ? convert(tree, source, errors) : undefined;
  errors.sort((a, b) => a.span.start - b.span.start);
  return { root, errors, comments: [] };
}

function convert(n: JsonNode, text: string, errors: CfnSyntaxError[]): CfnNode {
  const span = { start: n.offset, end: n.offset + n.length };
  switch (n.type) {
    case 'object': {
      const entries: CfnEntry[] = [];
      const keys = new Set<string>();
      for (const p of n.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k) continue;
        const key = String(k.value ?? '');
        const keySpan = { start: k.offset, end: k.offset + k.length };
        if (keys.has(key)) errors.push({ message: `duplicate key ${key}`, span: keySpan });
        keys.add(key);
        const value: CfnNode = v
          ? convert(v, text, errors)
          : { kind: 'scalar', value: null, span: { start: keySpan.end, end: keySpan.end }, quoted: false };
        entries.push({ key, keySpan, value, span: { start: keySpan.start, end: Math.max(keySpan.end, value.span.end) } });
      }
      return { kind: 'mapping', entries, span };
    }
    case 'array':
      return { kind: 'sequence', items: (n.children ?? []).map((c) => convert(c, text, errors)), span };
    case 'string':
      return { kind: 'scalar', value: String(n.value), span, quoted: true };
    case 'number':
      return {
        kind: 'scalar',
        value: typeof n.value === 'number' ? n.value : Number(n.value),
        span,
        quoted: false,
        source: text.slice(span.start, span.end),
      };
    case 'boolean':
      return { kind: 'scalar', value: Boolean(n.value), span, quoted: false };
    default:
      return { kind: 'scalar', value: null, span, quoted: false };
  }
}
