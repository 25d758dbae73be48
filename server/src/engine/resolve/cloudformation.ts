import { annotationsFor } from '../model/annotations';
import type { Resource } from '../model/resource';
import type { Span } from '../model/span';
import { str, unknown, type ConcatValue, type Value } from '../model/value';
import {
  entryOf,
  isCloudFormation,
  looksLikeCloudFormation,
  parseCfnJson,
  parseCfnYaml,
  scalarText,
  valueOf,
} from '../parse/cloudformation';
import { CfnEvaluator, NO_VALUE, intrinsicName } from './cloudformation/evaluator';

export interface CfnReadResult {
  isTemplate: boolean;
  errors: { message: string; span: Span }[];
  resources: Resource[];
  /** Outputs with `Export.Name`, when the name is known statically. */
  exports: { name: string; value: Value; span: Span }[];
  comments: { text: string; span: Span }[];
}

export interface CfnReadOptions {
  /**
   * Export values already known from other templates. With them `Fn::ImportValue` is replaced during
   * evaluation, so `!Select [0, !Split [",", !ImportValue Subnets]]` can be computed; without them the
   * import stays an `import` value for `resolveImports`.
   */
  imports?: ReadonlyMap<string, Value>;
}

/** A broken template may not parse far enough to show its Resources; this line still identifies it. */
const DECLARES_VERSION = /^\s*["']?AWSTemplateFormatVersion["']?\s*:/m;

/** The span extended over the rest of its last line, so a comment after the last property belongs to it. */
function toLineEnd(text: string, s: Span): Span {
  const nl = text.indexOf('\n', s.end);
  const end = nl < 0 ? text.length : nl;
  return /^[ \t]*(#.*)?\r?$/.test(text.slice(s.end, end)) ? { start: s.start, end } : s;
}

function notTemplate(): CfnReadResult {
  return { isTemplate: false, errors: [], resources: [], exports: [], comments: [] };
}

/**
 * Reads one CloudFormation template (YAML or JSON) into resources of the common model. Files that are
 * not templates come back with `isTemplate: false` and nothing else, cheaply. Never throws.
 */
export function readCloudFormation(file: string, text: string, json: boolean, options: CfnReadOptions = {}): CfnReadResult {
  if (!looksLikeCloudFormation(text)) return notTemplate();
  try {
    const tree = json ? parseCfnJson(text) : parseCfnYaml(text);
    const isTemplate = isCloudFormation(tree) || (tree.errors.length > 0 && DECLARES_VERSION.test(text));
    if (!isTemplate) return notTemplate();
    const result: CfnReadResult = { isTemplate, errors: tree.errors, resources: [], exports: [], comments: tree.comments };
    if (tree.root?.kind !== 'mapping') return result;
    const ev = new CfnEvaluator(file, text, tree.root, options.imports);
    const ownLine = new Set(tree.comments.filter((c) => /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', c.span.start - 1) + 1, c.span.start))));

    for (const r of ev.resources.values()) {
      if (ev.omittedBy(r.key) !== undefined) continue;
      const type = scalarText(valueOf(r.node, 'Type'));
      if (type === undefined || type === '') continue;
      const attrs: Record<string, Value> = {};
      const attrSpans: Record<string, Span> = {};
      const props = entryOf(r.node, 'Properties');
      ev.withScope(r.bindings, () => {
        if (!props) return;
        if (props.value.kind === 'mapping' && !intrinsicName(props.value)) {
          for (const p of ev.expandEntries(props.value, r.bindings)) {
            const v = ev.withScope(p.bindings, () => ev.value(p.node));
            if (v === NO_VALUE) continue;
            attrs[p.key] = v;
            attrSpans[p.key] = p.entry.span;
          }
          return;
        }
        // `Properties: !If [...]` and the like: the whole object comes from one expression.
        const v = ev.value(props.value);
        if (v === NO_VALUE || v.kind !== 'object') return;
        for (const [k, x] of Object.entries(v.entries)) {
          attrs[k] = x;
          attrSpans[k] = props.value.span;
        }
      });
      result.resources.push({
        key: ev.resourceKey(r.key),
        lang: 'cloudformation',
        type,
        mode: 'managed',
        address: r.key,
        file,
        span: r.entry.span,
        nameSpan: r.keySpan,
        attrs,
        attrSpans,
        root: file,
        annotations: annotationsFor(
          text,
          // A comment after the previous resource's last value is not "above" this one.
          tree.comments.filter((c) => c.span.start >= r.entry.span.start || ownLine.has(c)),
          toLineEnd(text, r.entry.span),
        ),
      });
    }

    const outputs = valueOf(tree.root, 'Outputs');
    if (outputs?.kind === 'mapping') {
      for (const o of ev.expandEntries(outputs)) {
        ev.withScope(o.bindings, () => {
          const cond = scalarText(valueOf(o.node, 'Condition'));
          if (cond !== undefined) {
            const d = ev.condition(cond);
            if (d.known && !d.value) return;
          }
          const nameNode = valueOf(valueOf(o.node, 'Export'), 'Name');
          const valueNode = valueOf(o.node, 'Value');
          if (!nameNode || !valueNode) return;
          const name = ev.value(nameNode);
          if (name === NO_VALUE || name.kind !== 'string') return;
          const value = ev.value(valueNode);
          if (value === NO_VALUE) return;
          result.exports.push({ name: name.value, value, span: o.entry.span });
        });
      }
    }
    return result;
  } catch (e) {
    return {
      ...notTemplate(),
      isTemplate: true,
      errors: [{ message: `internal error while reading the template: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } }],
    };
  }
}

/**
 * Replaces every `import` value in the resources' attributes (inside lists, objects and strings too) by
 * the value the workspace exports under that name, or by an unknown naming the missing export. Exported
 * values may import in turn; those chains are followed, and a cycle becomes unknown.
 */
export function resolveImports(resources: Resource[], exports: Map<string, Value>): void {
  const resolved = new Map<string, Value>();
  const busy = new Set<string>();
  const lookup = (name: string, origin: Value['origin']): Value => {
    const done = resolved.get(name);
    if (done) return done;
    const v = exports.get(name);
    if (!v) return unknown(`no stack in the workspace exports ${name}`, origin);
    if (busy.has(name)) return unknown(`the export ${name} imports itself`, origin);
    busy.add(name);
    const r = replaceImports(v, lookup);
    busy.delete(name);
    resolved.set(name, r);
    return r;
  };
  for (const r of resources) {
    for (const k of Object.keys(r.attrs)) r.attrs[k] = replaceImports(r.attrs[k], lookup);
  }
}

/** A copy of `v` with imports replaced; parts without imports are shared, not copied. */
function replaceImports(v: Value, lookup: (name: string, origin: Value['origin']) => Value): Value {
  switch (v.kind) {
    case 'import':
      return lookup(v.name, v.origin);
    case 'list': {
      const items = v.items.map((i) => replaceImports(i, lookup));
      return items.every((x, i) => x === v.items[i]) ? v : { ...v, items };
    }
    case 'object': {
      let changed = false;
      const entries: Record<string, Value> = {};
      for (const [k, x] of Object.entries(v.entries)) {
        entries[k] = replaceImports(x, lookup);
        if (entries[k] !== x) changed = true;
      }
      return changed ? { ...v, entries } : v;
    }
    case 'concat': {
      const parts = v.parts.map((p) => replaceImports(p, lookup));
      if (parts.every((x, i) => x === v.parts[i])) return v;
      return joinParts(parts, v);
    }
    default:
      return v;
  }
}

/** Rebuilds a concat after its parts changed: adjacent text merged, one string when all of it is known. */
function joinParts(parts: Value[], original: ConcatValue): Value {
  const out: Value[] = [];
  for (const p of p2(parts)) {
    const last = out[out.length - 1];
    const text = p.kind === 'string' ? p.value : p.kind === 'number' || p.kind === 'bool' ? String(p.value) : undefined;
    if (text !== undefined && last?.kind === 'string') out[out.length - 1] = str(last.value + text, last.origin);
    else if (text !== undefined) out.push(str(text, p.origin));
    else if (p.kind === 'list' || p.kind === 'object') return unknown(`an imported ${p.kind} cannot be part of a string`, original.origin);
    else out.push(p);
  }
  if (out.every((p) => p.kind === 'string')) return str(out.map((p) => (p.kind === 'string' ? p.value : '')).join(''), original.origin);
  return { ...original, parts: out };
}

/** Nested concats (an export that is itself a concat) flattened into one list of parts. */
function p2(parts: Value[]): Value[] {
  return parts.flatMap((p) => (p.kind === 'concat' ? p2(p.parts) : [p]));
}
