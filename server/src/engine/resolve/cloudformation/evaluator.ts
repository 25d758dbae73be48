import type { Location, Span } from '../../model/span';
import {
  NULL,
  asNumber,
  asString,
  bool,
  isKnown,
  list,
  num,
  obj,
  ref,
  str,
  toJson,
  unknown,
  type ConcatValue,
  type RefValue,
  type Value,
} from '../../model/value';
import { entryOf, scalarText, valueOf, type CfnEntry, type CfnMapping, type CfnNode } from '../../parse/cloudformation';
import { cidrSubnets } from './cidr';

/** `!Ref AWS::NoValue`: the property or list item it stands in for is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Evaluated = Value | typeof NO_VALUE;

type Decision = { known: true; value: boolean } | { known: false; reason: string };

/** A logical id after `Fn::ForEach` expansion, with the loop variables its body sees. */
export interface LogicalEntry {
  key: string;
  keySpan: Span;
  /** The `Key: value` entry as written (for an expanded loop, the template entry). */
  entry: CfnEntry;
  node: CfnNode;
  bindings?: ReadonlyMap<string, Value>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': 'AWS::Region is the Region the stack is deployed to, known only at deploy time',
  'AWS::AccountId': 'AWS::AccountId is the account the stack is deployed to, known only at deploy time',
  'AWS::StackName': 'AWS::StackName is chosen when the stack is deployed',
  'AWS::StackId': 'AWS::StackId is assigned when the stack is created',
  'AWS::Partition': 'AWS::Partition depends on the Region the stack is deployed to (aws, aws-cn, aws-us-gov)',
  'AWS::URLSuffix': 'AWS::URLSuffix depends on the Region the stack is deployed to',
  'AWS::NotificationARNs': 'AWS::NotificationARNs are given when the stack is deployed',
};

/** Intrinsics nest; a template that nests deeper than this is treated as unknown rather than risking the stack. */
const MAX_DEPTH = 150;

/**
 * Evaluates a template's values statically. Parameters take their `Default`, conditions are decided
 * from those defaults where possible, and whatever depends on the deployment (resource attributes,
 * pseudo parameters, SSM parameters, imports) stays a `ref`, `import` or `unknown` with the reason.
 */
export class CfnEvaluator {
  readonly resources = new Map<string, LogicalEntry>();
  private readonly params = new Map<string, CfnNode>();
  private readonly conditions = new Map<string, CfnNode>();
  private readonly mappings: CfnNode | undefined;
  private readonly omitted = new Map<string, string>();
  private readonly conditionCache = new Map<string, Decision>();
  private readonly conditionBusy = new Set<string>();
  private readonly paramCache = new Map<string, Value>();
  private readonly localAttrBusy = new Set<string>();
  private scope: ReadonlyMap<string, Value> | undefined;
  private depth = 0;

  constructor(
    readonly file: string,
    readonly text: string,
    root: CfnMapping,
    private readonly imports?: ReadonlyMap<string, Value>,
  ) {
    const params = valueOf(root, 'Parameters');
    if (params?.kind === 'mapping') for (const e of params.entries) this.params.set(e.key, e.value);
    const conditions = valueOf(root, 'Conditions');
    if (conditions?.kind === 'mapping') for (const e of conditions.entries) this.conditions.set(e.key, e.value);
    this.mappings = valueOf(root, 'Mappings');
    const resources = valueOf(root, 'Resources');
    if (resources?.kind === 'mapping') for (const r of this.expandEntries(resources)) this.resources.set(r.key, r);
    // Decided after every logical id is known, so a condition may compare resource values.
    for (const r of this.resources.values()) {
      const cond = scalarText(valueOf(r.node, 'Condition'));
      if (cond === undefined) continue;
      const d = this.condition(cond);
      if (d.known && !d.value) this.omitted.set(r.key, cond);
    }
  }

  resourceKey(logicalId: string): string {
    return `cfn:${this.file}:${logicalId}`;
  }

  /** The condition that removes this resource, when it is decided false. */
  omittedBy(logicalId: string): string | undefined {
    return this.omitted.get(logicalId);
  }

  withScope<T>(bindings: ReadonlyMap<string, Value> | undefined, f: () => T): T {
    const saved = this.scope;
    this.scope = bindings ?? saved;
    try {
      return f();
    } finally {
      this.scope = saved;
    }
  }

  /**
   * The entries of a mapping with `Fn::ForEach::<Name>: [Identifier, Collection, {OutputKey: Body}]`
   * loops (AWS::LanguageExtensions) expanded: one entry per item, `${Identifier}` and `&{Identifier}` in
   * the key replaced, and the body evaluated later with the identifier bound to the item. A loop over a
   * collection that is not known statically yields nothing, as its keys cannot be known.
   */
  expandEntries(m: CfnMapping, outer?: ReadonlyMap<string, Value>): LogicalEntry[] {
    const out: LogicalEntry[] = [];
    for (const e of m.entries) {
      if (!e.key.startsWith('Fn::ForEach::')) {
        out.push({ key: substituteKey(e.key, outer), keySpan: e.keySpan, entry: e, node: e.value, bindings: outer });
        continue;
      }
      const loop = e.value;
      if (loop.kind !== 'sequence' || loop.items.length !== 3) continue;
      const [idNode, collectionNode, body] = loop.items;
      const id = scalarText(idNode);
      if (id === undefined || body.kind !== 'mapping') continue;
      const collection = this.withScope(outer, () => this.value(collectionNode));
      if (collection === NO_VALUE || collection.kind !== 'list') continue;
      for (const item of collection.items) {
        if (asString(item) === undefined) continue;
        const bindings = new Map(outer ?? []);
        bindings.set(id, item.kind === 'string' ? item : str(asString(item) ?? '', item.origin));
        out.push(...this.expandEntries(body, bindings));
      }
    }
    return out;
  }

  value(node: CfnNode): Evaluated {
    if (this.depth >= MAX_DEPTH) return unknown('the value nests too deeply to evaluate', this.at(node.span));
    this.depth++;
    try {
      return this.evaluate(node);
    } finally {
      this.depth--;
    }
  }

  private evaluate(node: CfnNode): Evaluated {
    const origin = this.at(node.span);
    if (node.kind === 'scalar') {
      const v = node.value;
      if (v === null) return { ...NULL, origin };
      if (typeof v === 'string') return str(v, origin);
      if (typeof v === 'number') return num(v, origin);
      return bool(v, origin);
    }
    if (node.kind === 'sequence') {
      const items: Value[] = [];
      for (const i of node.items) {
        const v = this.value(i);
        if (v !== NO_VALUE) items.push(v);
      }
      return list(items, origin);
    }
    const fn = intrinsicName(node);
    if (fn) return this.intrinsic(fn, node.entries[0].value, node);
    const entries: Record<string, Value> = {};
    for (const e of this.expandEntries(node, this.scope)) {
      const v = this.withScope(e.bindings, () => this.value(e.node));
      if (v !== NO_VALUE) entries[e.key] = v;
    }
    return obj(entries, origin);
  }

  private intrinsic(fn: string, arg: CfnNode, node: CfnNode): Evaluated {
    const origin = this.at(node.span);
    switch (fn) {
      case 'Ref':
        return this.ref(arg, node.span);
      case 'Fn::GetAtt':
        return this.getAtt(arg, node.span);
      case 'Fn::Sub':
        return this.sub(arg, node.span);
      case 'Fn::Join':
        return this.join(arg, node.span);
      case 'Fn::Select':
        return this.select(arg, node.span);
      case 'Fn::Split':
        return this.split(arg, node.span);
      case 'Fn::If':
        return this.fnIf(arg, node.span);
      case 'Fn::FindInMap':
        return this.findInMap(arg, node.span);
      case 'Fn::ImportValue':
        return this.importValue(arg, node.span);
      case 'Fn::Cidr':
        return this.cidr(arg, node.span);
      case 'Fn::Base64': {
        // The deployed value is the encoded text, so that is what the model holds.
        const v = this.value(arg);
        if (v !== NO_VALUE && v.kind === 'string') return str(base64(v.value), origin);
        return unknown(`Fn::Base64 of a value that is not known statically: ${describe(v)}`, origin);
      }
      case 'Fn::GetAZs':
        return unknown('the Availability Zones of a Region are known only at deploy time', origin);
      case 'Fn::GetStackOutput':
        return unknown('Fn::GetStackOutput reads an output of another stack at deploy time', origin);
      case 'Fn::Transform':
        return unknown('Fn::Transform runs a macro at deploy time', origin);
      case 'Fn::Length': {
        const v = this.value(arg);
        if (v !== NO_VALUE && v.kind === 'list') return num(v.items.length, origin);
        return unknown(`Fn::Length of a list that is not known statically: ${describe(v)}`, origin);
      }
      case 'Fn::ToJsonString': {
        const v = this.value(arg);
        if (v !== NO_VALUE && isKnown(v)) return str(JSON.stringify(toJson(v)), origin);
        return unknown(`Fn::ToJsonString of a value that is not known statically: ${describe(v)}`, origin);
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not': {
        const d = this.conditionValue(node);
        return d.known ? bool(d.value, origin) : unknown(d.reason, origin);
      }
      default:
        return unknown(`${fn} is not evaluated by PrivateLink Lens`, origin);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ref and GetAtt

  private ref(arg: CfnNode, at: Span): Evaluated {
    const name = this.nameOf(arg, 'Ref');
    return typeof name === 'string' ? this.refName(name, at) : name;
  }

  /** What `Ref name` (or `${name}` in Fn::Sub) stands for. */
  private refName(name: string, at: Span): Evaluated {
    const origin = this.at(at);
    const bound = this.scope?.get(name);
    if (bound) return bound;
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in PSEUDO) return unknown(PSEUDO[name], origin);
    if (this.params.has(name)) {
      const v = this.paramValue(name);
      // A known default points at the Default text; a reason is best shown where the Ref is.
      return v.kind === 'unknown' ? unknown(v.reason, origin) : v;
    }
    if (this.resources.has(name)) return this.resourceRef(name, [], at);
    if (name.startsWith('AWS::')) return unknown(`${name} is not a pseudo parameter CloudFormation defines`, origin);
    return unknown(`no resource or parameter named ${name} in this template`, origin);
  }

  private resourceRef(id: string, attr: string[], at: Span): Value {
    const cond = this.omitted.get(id);
    if (cond !== undefined) return unknown(`resource ${id} is not created, its condition ${cond} is false`, this.at(at));
    return ref(this.resourceKey(id), attr, this.at(at));
  }

  private getAtt(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    let id: string;
    let attr: string;
    if (arg.kind === 'scalar') {
      // `A.B.C`: the logical id has no dots, so everything after the first one is the attribute name.
      const text = scalarText(arg) ?? '';
      const dot = text.indexOf('.');
      if (dot <= 0 || dot === text.length - 1) return unknown(`Fn::GetAtt needs Resource.Attribute, not "${text}"`, origin);
      id = text.slice(0, dot);
      attr = text.slice(dot + 1);
    } else if (arg.kind === 'sequence' && arg.items.length >= 2) {
      const first = this.nameOf(arg.items[0], 'Fn::GetAtt');
      if (typeof first !== 'string') return first;
      id = first;
      const names: string[] = [];
      for (const i of arg.items.slice(1)) {
        const n = this.nameOf(i, 'Fn::GetAtt');
        if (typeof n !== 'string') return unknown(`the attribute of Fn::GetAtt ${id} is not known statically: ${n.reason}`, origin);
        names.push(n);
      }
      attr = names.join('.');
    } else {
      return unknown('Fn::GetAtt needs a resource and an attribute', origin);
    }
    return this.getAttOf(id, attr, at);
  }

  private getAttOf(id: string, attr: string, at: Span): Value {
    if (this.resources.has(id)) return this.resourceRef(id, [attr], at);
    if (this.params.has(id)) return unknown(`Fn::GetAtt needs a resource, and ${id} is a parameter`, this.at(at));
    return unknown(`no resource or parameter named ${id} in this template`, this.at(at));
  }

  /** A name argument (Ref, GetAtt parts): usually a plain string, sometimes an intrinsic that yields one. */
  private nameOf(node: CfnNode, fn: string): string | Extract<Value, { kind: 'unknown' }> {
    const text = node.kind === 'scalar' ? scalarText(node) : undefined;
    if (text !== undefined) return text;
    const v = this.value(node);
    if (v !== NO_VALUE && v.kind === 'string') return v.value;
    return unknown(`the name given to ${fn} is not known statically: ${describe(v)}`, this.at(node.span));
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters

  private paramValue(name: string): Value {
    const cached = this.paramCache.get(name);
    if (cached) return cached;
    const v = this.computeParam(name);
    this.paramCache.set(name, v);
    return v;
  }

  private computeParam(name: string): Value {
    const node = this.params.get(name);
    const type = (scalarText(valueOf(node, 'Type')) ?? 'String').trim();
    const def = valueOf(node, 'Default');
    if (type.startsWith('AWS::SSM::Parameter::Value<')) return unknown(`parameter ${name} is resolved from SSM at deploy time`);
    if (!def || (def.kind === 'scalar' && def.value === null)) return unknown(`parameter ${name} has no Default`);
    const origin = this.at(def.span);
    const listOf = /^List<(.*)>$/.exec(type);
    const numbers = listOf?.[1].trim() === 'Number';
    if (listOf || type === 'CommaDelimitedList') {
      let texts: (string | undefined)[];
      if (def.kind === 'sequence') texts = def.items.map(scalarText);
      else {
        const text = scalarText(def);
        if (text === undefined) return unknown(`the Default of parameter ${name} is not a list`);
        // CloudFormation trims each member; an empty default is an empty list.
        texts = text.trim() === '' ? [] : text.split(',').map((s) => s.trim());
      }
      const items: Value[] = [];
      for (const t of texts) {
        if (t === undefined) return unknown(`the Default of parameter ${name} is not a list of strings`);
        if (numbers) {
          if (t === '' || Number.isNaN(Number(t))) return unknown(`the Default of parameter ${name} is not a list of numbers`);
          items.push(num(Number(t), origin));
        } else items.push(str(t, origin));
      }
      return list(items, origin);
    }
    const text = scalarText(def);
    if (text === undefined) return unknown(`the Default of parameter ${name} is not a single value`);
    if (type === 'Number') {
      if (text.trim() === '' || Number.isNaN(Number(text))) return unknown(`the Default of parameter ${name} is not a number`);
      return num(Number(text), origin);
    }
    return str(text, origin);
  }

  // ---------------------------------------------------------------------------------------------
  // Strings and lists

  private sub(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    let templateNode = arg;
    let vars: CfnNode | undefined;
    if (arg.kind === 'sequence') {
      if (arg.items.length < 1 || arg.items.length > 2) return unknown('Fn::Sub needs a string, or a string and a map of variables', origin);
      templateNode = arg.items[0];
      vars = arg.items[1];
    }
    let template: string | undefined;
    if (templateNode.kind === 'scalar') template = typeof templateNode.value === 'string' ? templateNode.value : scalarText(templateNode);
    else {
      const v = this.value(templateNode);
      if (v !== NO_VALUE && v.kind === 'string') template = v.value;
    }
    if (template === undefined) return unknown('the Fn::Sub template is not a string', origin);
    const base = literalBase(this.text, templateNode, template);
    const spanOf = (from: number, to: number): Span =>
      base === undefined ? templateNode.span : { start: base + from, end: base + to };

    const parts: Evaluated[] = [];
    const varCache = new Map<string, Evaluated>();
    for (const piece of splitSub(template)) {
      const at2 = spanOf(piece.from, piece.to);
      if (piece.literal !== undefined) {
        parts.push(str(piece.literal, this.at(at2)));
        continue;
      }
      const name = piece.name ?? '';
      const varNode = vars ? entryOf(vars, name)?.value : undefined;
      if (varNode) {
        if (!varCache.has(name)) varCache.set(name, this.value(varNode));
        parts.push(varCache.get(name) as Evaluated);
      } else if (this.scope?.has(name) || !name.includes('.') || name.startsWith('AWS::')) {
        parts.push(this.refName(name, at2));
      } else {
        const dot = name.indexOf('.');
        parts.push(this.getAttOf(name.slice(0, dot), name.slice(dot + 1), at2));
      }
    }
    return this.concat(parts, origin, 'Fn::Sub');
  }

  private join(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    if (arg.kind !== 'sequence' || arg.items.length !== 2) return unknown('Fn::Join needs a delimiter and a list', origin);
    const delim = this.value(arg.items[0]);
    const d = delim === NO_VALUE ? undefined : asString(delim);
    if (d === undefined) return unknown(`the Fn::Join delimiter is not known statically: ${describe(delim)}`, origin);
    const items = this.value(arg.items[1]);
    if (items === NO_VALUE || items.kind !== 'list') return unknown(`Fn::Join of a list that is not known statically: ${describe(items)}`, origin);
    const parts: Evaluated[] = [];
    items.items.forEach((item, i) => {
      if (i > 0) parts.push(str(d, delim === NO_VALUE ? origin : delim.origin));
      parts.push(item);
    });
    return this.concat(parts, origin, 'Fn::Join');
  }

  /**
   * Joins evaluated parts into one string: a `string` when every part is known, else a `concat` of the
   * known text and the parts that are not. A single unknown part is returned as itself, so
   * `!Sub "${Svc}"` is still a reference to Svc.
   */
  private concat(parts: Evaluated[], origin: Location, fn: string): Value {
    const out: Value[] = [];
    const pushText = (s: string, o: Location | undefined): void => {
      const last = out[out.length - 1];
      if (last && last.kind === 'string') out[out.length - 1] = str(last.value + s, mergeOrigin(last.origin, o));
      else out.push(str(s, o));
    };
    for (const p of parts) {
      if (p === NO_VALUE) return unknown(`AWS::NoValue cannot be part of a string in ${fn}`, origin);
      switch (p.kind) {
        case 'string':
          if (p.value !== '') pushText(p.value, p.origin);
          break;
        case 'number':
        case 'bool':
          pushText(asString(p) ?? '', p.origin);
          break;
        case 'null':
          break;
        case 'list':
        case 'object':
          return unknown(`${fn} cannot put a ${p.kind} into a string`, origin);
        case 'concat':
          for (const q of p.parts) {
            if (q.kind === 'string') pushText(q.value, q.origin);
            else out.push(q);
          }
          break;
        default:
          out.push(p);
      }
    }
    if (out.length === 0) return str('', origin);
    if (out.every((p) => p.kind === 'string')) return str(out.map((p) => (p.kind === 'string' ? p.value : '')).join(''), origin);
    if (out.length === 1) return out[0];
    const c: ConcatValue = { kind: 'concat', parts: out, origin };
    return c;
  }

  private select(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    if (arg.kind !== 'sequence' || arg.items.length !== 2) return unknown('Fn::Select needs an index and a list', origin);
    const idxV = this.value(arg.items[0]);
    const idx = idxV === NO_VALUE ? undefined : asNumber(idxV);
    if (idx === undefined || !Number.isInteger(idx)) return unknown(`the Fn::Select index is not known statically: ${describe(idxV)}`, origin);
    const items = this.value(arg.items[1]);
    if (items === NO_VALUE || items.kind !== 'list') return unknown(`Fn::Select from a list that is not known statically: ${describe(items)}`, origin);
    if (idx < 0 || idx >= items.items.length) return unknown(`Fn::Select index ${idx} is outside a list of ${items.items.length}`, origin);
    return items.items[idx];
  }

  private split(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    if (arg.kind !== 'sequence' || arg.items.length !== 2) return unknown('Fn::Split needs a delimiter and a string', origin);
    const delimV = this.value(arg.items[0]);
    const d = delimV === NO_VALUE ? undefined : asString(delimV);
    if (d === undefined || d === '') return unknown(`the Fn::Split delimiter is not known statically: ${describe(delimV)}`, origin);
    const source = this.value(arg.items[1]);
    if (source === NO_VALUE || source.kind !== 'string') return unknown(`Fn::Split of a string that is not known statically: ${describe(source)}`, origin);
    return list(source.value.split(d).map((s) => str(s, origin)), origin);
  }

  private importValue(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    const name = this.value(arg);
    if (name === NO_VALUE || name.kind !== 'string') {
      return unknown(`the export name of Fn::ImportValue is not known statically: ${describe(name)}`, origin);
    }
    const known = this.imports?.get(name.value);
    if (known) return known;
    return { kind: 'import', name: name.value, origin };
  }

  private cidr(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    if (arg.kind !== 'sequence' || arg.items.length !== 3) return unknown('Fn::Cidr needs an IP block, a count and a number of subnet bits', origin);
    let block = this.value(arg.items[0]);
    if (block !== NO_VALUE && block.kind === 'ref') block = this.localAttribute(block) ?? block;
    if (block === NO_VALUE || block.kind !== 'string') return unknown(`Fn::Cidr of an IP block that is not known statically: ${describe(block)}`, origin);
    const countV = this.value(arg.items[1]);
    const bitsV = this.value(arg.items[2]);
    const count = countV === NO_VALUE ? undefined : asNumber(countV);
    const bits = bitsV === NO_VALUE ? undefined : asNumber(bitsV);
    if (count === undefined) return unknown(`the Fn::Cidr count is not known statically: ${describe(countV)}`, origin);
    if (bits === undefined) return unknown(`the Fn::Cidr subnet bits are not known statically: ${describe(bitsV)}`, origin);
    const cidrs = cidrSubnets(block.value, count, bits);
    if (typeof cidrs === 'string') return unknown(cidrs, origin);
    return list(cidrs.map((c) => str(c, origin)), origin);
  }

  /**
   * `!GetAtt Vpc.CidrBlock` names the property the same template sets, so Fn::Cidr can work from the
   * written block. Used only where a literal is required; elsewhere the reference is kept as a link.
   */
  private localAttribute(v: RefValue): Value | undefined {
    const prefix = `cfn:${this.file}:`;
    if (!v.target.startsWith(prefix) || v.attr.length !== 1) return undefined;
    const id = v.target.slice(prefix.length);
    const r = this.resources.get(id);
    const prop = valueOf(valueOf(r?.node, 'Properties'), v.attr[0]);
    if (!r || !prop || this.localAttrBusy.has(v.target)) return undefined;
    this.localAttrBusy.add(v.target);
    try {
      const value = this.withScope(r.bindings, () => this.value(prop));
      return value !== NO_VALUE && value.kind === 'string' ? value : undefined;
    } finally {
      this.localAttrBusy.delete(v.target);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Mappings and conditions

  private findInMap(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    if (arg.kind !== 'sequence' || arg.items.length < 3) return unknown('Fn::FindInMap needs a map name and two keys', origin);
    const [mapNode, topNode, secondNode, options] = arg.items;
    const fallback = (reason: string): Evaluated => {
      // AWS::LanguageExtensions adds a fourth argument {DefaultValue: ...} used when a key is missing.
      const def = valueOf(options, 'DefaultValue');
      return def ? this.value(def) : unknown(reason, origin);
    };
    const mapNameV = this.value(mapNode);
    const mapName = mapNameV === NO_VALUE ? undefined : asString(mapNameV);
    if (mapName === undefined) return unknown(`the Fn::FindInMap map name is not known statically: ${describe(mapNameV)}`, origin);
    const map = valueOf(this.mappings, mapName);
    if (!map || map.kind !== 'mapping') return fallback(`no mapping named ${mapName} in this template`);
    const topV = this.value(topNode);
    const secondV = this.value(secondNode);
    const top = topV === NO_VALUE ? undefined : asString(topV);
    const second = secondV === NO_VALUE ? undefined : asString(secondV);
    if (top !== undefined && second !== undefined) {
      const found = valueOf(valueOf(map, top), second);
      return found ? this.value(found) : fallback(`mapping ${mapName} has no entry ${top} / ${second}`);
    }
    // A key known only at deploy time (usually AWS::Region) still gives one answer when every
    // candidate entry holds the same value.
    const tops = top !== undefined ? [valueOf(map, top)] : map.entries.map((e) => e.value);
    const candidates = tops.map((t) =>
      second !== undefined ? valueOf(t, second) : t?.kind === 'mapping' ? t.entries.map((e) => e.value) : undefined,
    );
    const nodes = candidates.flat();
    const why = describe(top === undefined ? topV : secondV);
    if (nodes.length === 0 || nodes.some((n) => n === undefined)) return unknown(`the Fn::FindInMap key is not known statically: ${why}`, origin);
    const values = (nodes as CfnNode[]).map((n) => this.value(n));
    const first = JSON.stringify(canonical(values[0]));
    if (values.every((v) => JSON.stringify(canonical(v)) === first)) return values[0];
    return unknown(`the Fn::FindInMap key is not known statically: ${why}`, origin);
  }

  private fnIf(arg: CfnNode, at: Span): Evaluated {
    const origin = this.at(at);
    if (arg.kind !== 'sequence' || arg.items.length !== 3) return unknown('Fn::If needs a condition and two values', origin);
    const name = scalarText(arg.items[0]);
    if (name === undefined) return unknown('the Fn::If condition is not a name', origin);
    const d = this.condition(name);
    if (d.known) return this.value(arg.items[d.value ? 1 : 2]);
    const a = this.value(arg.items[1]);
    const b = this.value(arg.items[2]);
    if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return a;
    return unknown(`depends on condition ${name}, which cannot be decided statically: ${d.reason}`, origin);
  }

  /** Decides a named condition from parameter defaults; undecided when it depends on the deployment. */
  condition(name: string): Decision {
    const cached = this.conditionCache.get(name);
    if (cached) return cached;
    if (this.conditionBusy.has(name)) return { known: false, reason: `condition ${name} refers to itself` };
    const node = this.conditions.get(name);
    if (!node) return { known: false, reason: `no condition named ${name} in this template` };
    this.conditionBusy.add(name);
    let d: Decision;
    try {
      d = this.conditionValue(node);
    } finally {
      this.conditionBusy.delete(name);
    }
    this.conditionCache.set(name, d);
    return d;
  }

  private conditionValue(node: CfnNode): Decision {
    if (this.depth >= MAX_DEPTH) return { known: false, reason: 'the condition nests too deeply to evaluate' };
    this.depth++;
    try {
      return this.decide(node);
    } finally {
      this.depth--;
    }
  }

  private decide(node: CfnNode): Decision {
    const fn = node.kind === 'mapping' && node.entries.length === 1 ? node.entries[0].key : undefined;
    const arg = node.kind === 'mapping' && node.entries.length === 1 ? node.entries[0].value : undefined;
    const items = arg?.kind === 'sequence' ? arg.items : [];
    switch (fn) {
      case 'Condition': {
        const name = arg ? scalarText(arg) : undefined;
        if (name === undefined) return { known: false, reason: 'Condition needs a condition name' };
        const d = this.condition(name);
        // The chain of named conditions is part of the explanation: "condition IsProd: parameter Env has no Default".
        return d.known || d.reason.startsWith(`condition ${name} `) ? d : { known: false, reason: `condition ${name}: ${d.reason}` };
      }
      case 'Fn::Equals': {
        if (items.length !== 2) return { known: false, reason: 'Fn::Equals needs two values' };
        const a = this.value(items[0]);
        const b = this.value(items[1]);
        for (const v of [a, b] as Evaluated[]) if (v === NO_VALUE || !isKnown(v)) return { known: false, reason: describe(v) };
        return { known: true, value: JSON.stringify(canonical(a)) === JSON.stringify(canonical(b)) };
      }
      case 'Fn::Not': {
        if (items.length !== 1) return { known: false, reason: 'Fn::Not needs one condition' };
        const d = this.conditionValue(items[0]);
        return d.known ? { known: true, value: !d.value } : d;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        // One deciding operand is enough (false for And, true for Or), even if another is undecided.
        const decisive = fn === 'Fn::Or';
        let undecided: Decision | undefined;
        for (const i of items) {
          const d = this.conditionValue(i);
          if (d.known && d.value === decisive) return d;
          if (!d.known) undecided ??= d;
        }
        return undecided ?? { known: true, value: !decisive };
      }
      default: {
        const v = this.value(node);
        if (v !== NO_VALUE && v.kind === 'bool') return { known: true, value: v.value };
        if (v !== NO_VALUE && v.kind === 'string' && /^(true|false)$/i.test(v.value)) return { known: true, value: v.value.toLowerCase() === 'true' };
        return { known: false, reason: `not a condition: ${describe(v)}` };
      }
    }
  }

  at(span: Span): Location {
    return { file: this.file, span };
  }
}

/** `Ref` or `Fn::*` as the only key of a mapping is an intrinsic function call. */
export function intrinsicName(node: CfnNode): string | undefined {
  if (node.kind !== 'mapping' || node.entries.length !== 1) return undefined;
  const key = node.entries[0].key;
  if (key === 'Ref' || (key.startsWith('Fn::') && !key.startsWith('Fn::ForEach::'))) return key;
  return undefined;
}

/** One sentence on why a value is not a known literal, for the reason of whatever depends on it. */
export function describe(v: Evaluated | undefined): string {
  if (v === undefined) return 'the value is missing';
  if (v === NO_VALUE) return 'it is AWS::NoValue';
  switch (v.kind) {
    case 'unknown':
      return v.reason;
    case 'import':
      return `it is imported from the export ${v.name}`;
    case 'ref': {
      const id = v.target.slice(v.target.lastIndexOf(':') + 1);
      return `${[id, ...v.attr].join('.')} is known only after deployment`;
    }
    case 'concat': {
      const p = v.parts.find((x) => x.kind !== 'string');
      return describe(p);
    }
    case 'list':
    case 'object': {
      const inner = v.kind === 'list' ? v.items : Object.values(v.entries);
      const p = inner.find((x) => !isKnown(x));
      return p ? describe(p) : `it is a ${v.kind}`;
    }
    default:
      return 'the value is known';
  }
}

/** Values compared the way CloudFormation compares them: scalars as strings, origins ignored. */
function canonical(v: Evaluated): unknown {
  if (v === NO_VALUE) return { $noValue: true };
  const j = toJson(v);
  const walk = (x: unknown): unknown => {
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(j);
}

function mergeOrigin(a: Location | undefined, b: Location | undefined): Location | undefined {
  if (!a || !b || a.file !== b.file) return a ?? b;
  return { file: a.file, span: { start: Math.min(a.span.start, b.span.start), end: Math.max(a.span.end, b.span.end) } };
}

interface SubPiece {
  literal?: string;
  name?: string;
  /** Offsets of the piece in the template string. */
  from: number;
  to: number;
}

/** Splits an Fn::Sub template into text and `${Name}` pieces; `${!Text}` is the literal `${Text}`. */
export function splitSub(template: string): SubPiece[] {
  const out: SubPiece[] = [];
  let i = 0;
  let textStart = 0;
  let text = '';
  const flush = (end: number): void => {
    if (text !== '') out.push({ literal: text, from: textStart, to: end });
    text = '';
  };
  while (i < template.length) {
    const open = template.indexOf('${', i);
    if (open < 0) break;
    const close = template.indexOf('}', open + 2);
    if (close < 0) break;
    const inner = template.slice(open + 2, close);
    if (inner.startsWith('!')) {
      text += template.slice(i, open) + '${' + inner.slice(1) + '}';
    } else {
      text += template.slice(i, open);
      flush(open);
      out.push({ name: inner.trim(), from: open, to: close + 1 });
      textStart = close + 1;
    }
    i = close + 1;
  }
  text += template.slice(i);
  flush(template.length);
  return out;
}

/**
 * Where the string's characters start in the file, when the scalar is written verbatim (plain, or
 * quoted without escapes), so pieces of an Fn::Sub template can point at their own text.
 */
function literalBase(text: string, node: CfnNode, value: string): number | undefined {
  if (node.kind !== 'scalar') return undefined;
  const raw = text.slice(node.span.start, node.span.end);
  if (raw === value) return node.span.start;
  if (raw.length === value.length + 2 && raw.slice(1, -1) === value && /^["']$/.test(raw[0])) return node.span.start + 1;
  return undefined;
}

/** Base64 of the UTF-8 bytes, with web-standard globals only so the engine does not depend on Node's Buffer. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** `${Id}` and `&{Id}` (the item with non-alphanumerics removed) in a Fn::ForEach output key. */
function substituteKey(key: string, bindings: ReadonlyMap<string, Value> | undefined): string {
  if (!bindings || bindings.size === 0) return key;
  return key.replace(/([$&])\{([^}]*)\}/g, (all: string, sigil: string, name: string) => {
    const v = bindings.get(name.trim());
    const s = v ? asString(v) : undefined;
    if (s === undefined) return all;
    return sigil === '&' ? s.replace(/[^A-Za-z0-9]/g, '') : s;
  });
}
