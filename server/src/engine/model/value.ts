import type { Location } from './span';

/**
 * A statically evaluated value. Anything the engine cannot know before deployment is explicit:
 * `ref` for an attribute of a resource in the workspace that only exists after apply (an SG's `id`, an
 * NLB's `arn`), `concat` for a string built from such parts, `import` for a CloudFormation
 * `Fn::ImportValue` the workspace step resolves, and `unknown` with the reason. `origin` says where the
 * value was written, so findings point at the text that produced them.
 */
export type Value =
  | StringValue
  | NumberValue
  | BoolValue
  | NullValue
  | ListValue
  | ObjectValue
  | RefValue
  | ConcatValue
  | ImportValue
  | UnknownValue;

interface Base {
  origin?: Location;
}

export interface StringValue extends Base {
  kind: 'string';
  value: string;
}
export interface NumberValue extends Base {
  kind: 'number';
  value: number;
}
export interface BoolValue extends Base {
  kind: 'bool';
  value: boolean;
}
export interface NullValue extends Base {
  kind: 'null';
}
/** Lists, tuples and sets alike. Nested Terraform blocks are lists of objects. */
export interface ListValue extends Base {
  kind: 'list';
  items: Value[];
}
/** Objects and maps alike. */
export interface ObjectValue extends Base {
  kind: 'object';
  entries: Record<string, Value>;
}
/**
 * An attribute of a resource in the workspace that has no configured value (Terraform `aws_lb.x.arn`,
 * CloudFormation `!Ref Nlb` or `!GetAtt Sg.GroupId`). `target` is the `Resource.key`; `attr` is the path
 * (empty for a CloudFormation `Ref`).
 */
export interface RefValue extends Base {
  kind: 'ref';
  target: string;
  attr: string[];
}
/** A string made of known and unknown parts, e.g. `!Sub "com.amazonaws.vpce.${AWS::Region}.${Svc}"`. */
export interface ConcatValue extends Base {
  kind: 'concat';
  parts: Value[];
}
/** CloudFormation `Fn::ImportValue` with a known export name; the workspace step replaces it. */
export interface ImportValue extends Base {
  kind: 'import';
  name: string;
}
export interface UnknownValue extends Base {
  kind: 'unknown';
  /** One sentence: why the value cannot be known statically ("variable vpc_id has no default"). */
  reason: string;
  /**
   * The expression is an error (a missing attribute, an index out of range), not merely unknown before
   * apply. Terraform's `try()` and `can()` catch errors but keep unknowns unknown.
   */
  error?: boolean;
}

export const NULL: NullValue = { kind: 'null' };

export function str(value: string, origin?: Location): StringValue {
  return origin ? { kind: 'string', value, origin } : { kind: 'string', value };
}
export function num(value: number, origin?: Location): NumberValue {
  return origin ? { kind: 'number', value, origin } : { kind: 'number', value };
}
export function bool(value: boolean, origin?: Location): BoolValue {
  return origin ? { kind: 'bool', value, origin } : { kind: 'bool', value };
}
export function list(items: Value[], origin?: Location): ListValue {
  return origin ? { kind: 'list', items, origin } : { kind: 'list', items };
}
export function obj(entries: Record<string, Value>, origin?: Location): ObjectValue {
  return origin ? { kind: 'object', entries, origin } : { kind: 'object', entries };
}
export function unknown(reason: string, origin?: Location): UnknownValue {
  return origin ? { kind: 'unknown', reason, origin } : { kind: 'unknown', reason };
}
/** An evaluation error, which `try()` skips and `can()` reports as false. */
export function errorUnknown(reason: string, origin?: Location): UnknownValue {
  return { ...unknown(reason, origin), error: true };
}
export function ref(target: string, attr: string[], origin?: Location): RefValue {
  return origin ? { kind: 'ref', target, attr, origin } : { kind: 'ref', target, attr };
}

/** True when the value, and everything inside it, is known (no ref, concat, import or unknown). */
export function isKnown(v: Value): boolean {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'null':
      return true;
    case 'list':
      return v.items.every(isKnown);
    case 'object':
      return Object.values(v.entries).every(isKnown);
    default:
      return false;
  }
}

/** The first unknown inside a value, to explain why something could not be decided. */
export function firstUnknown(v: Value): UnknownValue | ImportValue | undefined {
  switch (v.kind) {
    case 'unknown':
    case 'import':
      return v;
    case 'list':
      for (const i of v.items) {
        const u = firstUnknown(i);
        if (u) return u;
      }
      return undefined;
    case 'object':
      for (const i of Object.values(v.entries)) {
        const u = firstUnknown(i);
        if (u) return u;
      }
      return undefined;
    case 'concat':
      for (const i of v.parts) {
        const u = firstUnknown(i);
        if (u) return u;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** A known string, number or bool as a string (Terraform converts freely between them). */
export function asString(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return String(v.value);
  if (v.kind === 'bool') return v.value ? 'true' : 'false';
  return undefined;
}

export function asNumber(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'string' && v.value.trim() !== '' && !Number.isNaN(Number(v.value))) return Number(v.value);
  return undefined;
}

export function asBool(v: Value | undefined): boolean | undefined {
  if (!v) return undefined;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'string') {
    const s = v.value.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** Items of a list; a single non-list value is a one-item list; null or absent is empty. */
export function asList(v: Value | undefined): Value[] {
  if (!v || v.kind === 'null') return [];
  if (v.kind === 'list') return v.items;
  return [v];
}

export function getAttr(v: Value | undefined, name: string): Value | undefined {
  if (!v || v.kind !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(v.entries, name) ? v.entries[name] : undefined;
}

/** Plain JSON of a value, for tests and the CLI's debugging output. Unknown parts become `{"$unknown": reason}`. */
export function toJson(v: Value): unknown {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return v.value;
    case 'null':
      return null;
    case 'list':
      return v.items.map(toJson);
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v.entries)) o[k] = toJson(x);
      return o;
    }
    case 'ref':
      return { $ref: v.target, attr: v.attr };
    case 'concat':
      return { $concat: v.parts.map(toJson) };
    case 'import':
      return { $import: v.name };
    case 'unknown':
      return { $unknown: v.reason };
  }
}
