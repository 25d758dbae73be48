import {
  Composer,
  Parser,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type CollectionTag,
  type Document,
  type Node as YamlNode,
  type ScalarTag,
  type YAMLError,
} from 'yaml';
import type { CfnComment, CfnEntry, CfnNode, CfnParseResult, CfnScalar, CfnSyntaxError } from './tree';

/** CloudFormation's short forms; each maps to `Ref`, `Condition` or `Fn::<Name>`. */
const SHORT_TAGS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'ImportValue',
  'FindInMap',
  'GetAZs',
  'Base64',
  'Cidr',
  'Equals',
  'And',
  'Or',
  'Not',
  'Condition',
  'Transform',
  'GetStackOutput',
];

export function longFormOf(tag: string): string | undefined {
  const name = tag.startsWith('!') ? tag.slice(1) : tag;
  if (!SHORT_TAGS.includes(name)) return undefined;
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/**
 * Each short tag is declared for scalars, sequences and mappings and resolves to the node unchanged: the
 * tag stays on the yaml node, and the conversion below turns it into the long form with positions.
 * Declaring them keeps `yaml` from warning about unresolved tags.
 */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = SHORT_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (s: string) => s } as ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (v: unknown) => v } as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (v: unknown) => v } as CollectionTag,
]);

/**
 * How many nodes aliases may expand to in one file. Aliases are shared in yaml's tree but expanded by
 * evaluation, so a "billion laughs" file would otherwise cost exponential time.
 */
const ALIAS_EXPANSION_LIMIT = 200_000;

/**
 * Parses CloudFormation YAML into the template tree. Never throws: syntax errors come back with spans.
 * Only the first document is a template; further documents are reported and ignored.
 */
export function parseCfnYaml(text: string): CfnParseResult {
  try {
    return parseUnsafe(text);
  } catch (e) {
    return {
      root: undefined,
      errors: [{ message: `could not read the YAML: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } }],
      comments: [],
    };
  }
}

function parseUnsafe(text: string): CfnParseResult {
  const tokens = [...new Parser().parse(text)];
  const comments: CfnComment[] = [];
  collectComments(tokens, comments);
  comments.sort((a, b) => a.span.start - b.span.start);

  const composer = new Composer({ customTags: CUSTOM_TAGS, schema: 'core', uniqueKeys: false });
  const docs = [...composer.compose(tokens, true, text.length)] as Document.Parsed[];
  const errors: CfnSyntaxError[] = [];
  const first = docs[0];
  // Duplicate keys are reported by the conversion, with the whole key as the span.
  for (const e of first?.errors ?? []) if (e.code !== 'DUPLICATE_KEY') errors.push(toError(e, text));
  for (let i = 1; i < docs.length; i++) {
    const d = docs[i];
    // An empty trailing document (`---` at the end) is harmless.
    if (d.contents === null && d.errors.length === 0) continue;
    const start = d.range[0];
    errors.push({
      message: 'a CloudFormation template is a single YAML document; this document is ignored',
      span: { start, end: Math.min(text.length, Math.max(start + 3, d.range[1])) },
    });
  }
  if (!first || first.contents === null) return { root: undefined, errors, comments };
  const converter = new Converter(text, first, comments, errors);
  return { root: converter.node(first.contents as YamlNode), errors, comments };
}

/** Comments live in CST tokens' `start`, `end`, `sep` and `props` arrays; a walk over all of them finds every one. */
function collectComments(tokens: unknown, out: CfnComment[]): void {
  const stack: unknown[] = [tokens];
  while (stack.length > 0) {
    const t = stack.pop();
    if (!t || typeof t !== 'object') continue;
    if (Array.isArray(t)) {
      for (const x of t) stack.push(x);
      continue;
    }
    const tok = t as { type?: string; offset?: number; source?: string };
    if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string') {
      out.push({ text: tok.source, span: { start: tok.offset, end: tok.offset + tok.source.length } });
      continue;
    }
    for (const v of Object.values(t)) if (v && typeof v === 'object') stack.push(v);
  }
}

function toError(e: YAMLError, text: string): CfnSyntaxError {
  let [start, end] = e.pos;
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  // A zero-width span is invisible in an editor; widen it to the character it points at.
  if (end === start && start < text.length && text[start] !== '\n' && text[start] !== '\r') end = start + 1;
  const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { message, span: { start, end } };
}

class Converter {
  private readonly anchored = new Map<YamlNode, { node: CfnNode; size: number }>();
  private readonly inProgress = new Set<YamlNode>();
  private aliasExpansion = 0;
  private aliasLimitReported = false;
  private readonly commentStarts = new Map<number, number>();
  private size = 0;

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
    comments: readonly CfnComment[],
    private readonly errors: CfnSyntaxError[],
  ) {
    for (const c of comments) this.commentStarts.set(c.span.end, c.span.start);
  }

  node(n: YamlNode | null | undefined, fallbackAt = 0): CfnNode {
    if (!n) return { kind: 'scalar', value: null, span: { start: fallbackAt, end: fallbackAt }, quoted: false };
    if (isAlias(n)) return this.alias(n);
    const before = this.size;
    const converted = this.plain(n);
    if (n.anchor) this.anchored.set(n, { node: converted, size: this.size - before });
    return converted;
  }

  private plain(n: YamlNode): CfnNode {
    this.size++;
    const range = n.range ?? [0, 0, 0];
    const valueStart = range[0];
    let inner: CfnNode;
    this.inProgress.add(n);
    try {
      if (isMap(n)) {
        const entries: CfnEntry[] = [];
        const seen = new Set<string>();
        for (const pair of n.items) {
          const key = pair.key as YamlNode | null;
          const keyRange = key?.range ?? [valueStart, valueStart, valueStart];
          const keySpan = { start: keyRange[0], end: this.trimEnd(keyRange[0], keyRange[1]) };
          const keyText = this.keyText(key);
          if (keyText === '<<' && key && isScalar(key) && key.type === 'PLAIN') {
            this.merge(pair.value as YamlNode | null, entries);
            continue;
          }
          if (key && (!isScalar(key) || (key.tag && longFormOf(key.tag)))) {
            // CloudFormation keys are strings; `!ImportValue Fn::Sub: x` in a flow list is valid YAML whose
            // key is a function call, which CloudFormation cannot read.
            const start = key.tag ? this.tagStart(keySpan.start, key.tag) : keySpan.start;
            this.errors.push({ message: 'a key must be a plain string, not a function or a collection', span: { start, end: keySpan.end } });
          }
          if (seen.has(keyText)) this.errors.push({ message: `duplicate key ${keyText}`, span: keySpan });
          seen.add(keyText);
          const value = this.node(pair.value as YamlNode | null, keySpan.end);
          entries.push({ key: keyText, keySpan, value, span: { start: keySpan.start, end: Math.max(keySpan.end, value.span.end) } });
        }
        const end = n.flow ? range[1] : Math.max(valueStart, ...entries.map((e) => e.span.end));
        inner = { kind: 'mapping', entries, span: { start: valueStart, end } };
      } else if (isSeq(n)) {
        const items = (n.items as (YamlNode | null)[]).map((i) => this.node(i, valueStart));
        const end = n.flow ? range[1] : Math.max(valueStart, ...items.map((i) => i.span.end));
        inner = { kind: 'sequence', items, span: { start: valueStart, end } };
      } else if (isScalar(n)) {
        inner = this.scalar(n, range);
      } else {
        inner = { kind: 'scalar', value: null, span: { start: valueStart, end: valueStart }, quoted: false };
      }
    } finally {
      this.inProgress.delete(n);
    }
    const longForm = n.tag ? longFormOf(n.tag) : undefined;
    if (!longForm || !n.tag) return inner;
    // `!Ref X` becomes `{Ref: X}`: the tag is the key, and the whole thing starts at the tag.
    const tagStart = this.tagStart(valueStart, n.tag);
    const keySpan = { start: tagStart, end: tagStart + n.tag.length };
    const span = { start: tagStart, end: Math.max(keySpan.end, inner.span.end) };
    return { kind: 'mapping', entries: [{ key: longForm, keySpan, value: inner, span }], span, tag: n.tag };
  }

  private scalar(n: YamlNode & { value: unknown; type?: string }, range: [number, number, number]): CfnScalar {
    const span = { start: range[0], end: this.trimEnd(range[0], range[1]) };
    const quoted = n.type !== undefined && n.type !== 'PLAIN';
    let value: CfnScalar['value'];
    const v = n.value;
    if (v === null || v === undefined) value = null;
    else if (typeof v === 'string' || typeof v === 'boolean') value = v;
    else if (typeof v === 'number') value = v;
    else value = String(v);
    const out: CfnScalar = { kind: 'scalar', value, span, quoted };
    if (typeof value === 'number' && !quoted) {
      const source = this.text.slice(span.start, span.end);
      // YAML 1.2 reads 012345678901 as the number 12345678901 and YAML 1.1 as a string or an octal
      // number; either way the leading zero is lost. Nobody writes an account id or a file mode
      // (`0644`) meaning anything but its digits, so such text stays a string.
      if (/^[-+]?0\d+$/.test(source)) out.value = source;
      else out.source = source;
    }
    return out;
  }

  private alias(a: YamlNode & { source: string; resolve(doc: Document): YamlNode | undefined }): CfnNode {
    const range = a.range ?? [0, 0, 0];
    const span = { start: range[0], end: this.trimEnd(range[0], range[1]) };
    const target = a.resolve(this.doc);
    const nothing: CfnNode = { kind: 'scalar', value: null, span, quoted: false };
    if (!target) return nothing; // yaml already reports an unknown anchor
    if (this.inProgress.has(target)) {
      this.errors.push({ message: `alias *${a.source} refers to a node that contains it`, span });
      return nothing;
    }
    let done = this.anchored.get(target);
    if (!done) {
      const before = this.size;
      const node = this.plain(target);
      done = { node, size: this.size - before };
      this.anchored.set(target, done);
    }
    this.aliasExpansion += done.size;
    // Counted into the enclosing node's size too, so nested aliases multiply as they do when evaluated.
    this.size += done.size;
    if (this.aliasExpansion > ALIAS_EXPANSION_LIMIT) {
      if (!this.aliasLimitReported) {
        this.errors.push({ message: 'aliases expand to too many nodes; the remaining aliases are not read', span });
        this.aliasLimitReported = true;
      }
      return nothing;
    }
    // The alias stands where it is written; what is inside it keeps the anchor's positions.
    return { ...done.node, span };
  }

  /** YAML merge keys (`<<: *base`): entries of the merged mappings that are not already present. */
  private merge(value: YamlNode | null, entries: CfnEntry[]): void {
    const sources = value && isSeq(value) ? (value.items as YamlNode[]) : [value];
    for (const s of sources) {
      const m = this.node(s);
      if (m.kind !== 'mapping' || m.tag) continue;
      for (const e of m.entries) if (!entries.some((x) => x.key === e.key)) entries.push(e);
    }
  }

  private keyText(key: YamlNode | null): string {
    if (!key) return '';
    if (isScalar(key)) {
      if (key.value === null || key.value === undefined) return '';
      if (typeof key.value === 'number' && key.type === 'PLAIN' && key.range) {
        return this.text.slice(key.range[0], this.trimEnd(key.range[0], key.range[1]));
      }
      return String(key.value);
    }
    const r = key.range;
    return r ? this.text.slice(r[0], this.trimEnd(r[0], r[1])) : '';
  }

  private trimEnd(start: number, end: number): number {
    let e = Math.min(end, this.text.length);
    while (e > start && /\s/.test(this.text[e - 1])) e--;
    return e;
  }

  /**
   * yaml's ranges start at the value, after the tag and anchor. Walk back over whitespace, comments and
   * the properties (`!Tag`, `&anchor`) to find where the tag starts.
   */
  private tagStart(valueStart: number, tag: string): number {
    let i = valueStart;
    let found = valueStart;
    for (let guard = 0; guard < 8; guard++) {
      while (i > 0 && /\s/.test(this.text[i - 1])) i--;
      const commentStart = this.commentStarts.get(i);
      if (commentStart !== undefined) {
        i = commentStart;
        continue;
      }
      let j = i;
      while (j > 0 && !/[\s,[{]/.test(this.text[j - 1])) j--;
      const word = this.text.slice(j, i);
      if (word === tag) return j;
      if (word.startsWith('&') || word.startsWith('!')) {
        found = j;
        i = j;
        continue;
      }
      break;
    }
    return found;
  }
}
