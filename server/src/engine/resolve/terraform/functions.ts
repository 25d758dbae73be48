import type { Location } from '../../model/span';
import { type Value, type RefValue, type ObjectValue, NULL, asString, str, num, bool, list, obj, unknown, errorUnknown, firstUnknown } from '../../model/value';
import { getAttribute, isLazyObject, joinPieces, valuesEqual } from './evaluate';
import { CidrError, cidrHost, cidrNetmask, cidrSubnet, cidrSubnets } from './cidr';

/**
 * Terraform's built-in functions over statically evaluated `Value`s.
 *
 * Two rules shape everything here:
 * - Never throw. A function that cannot compute its result returns an `unknown` whose reason starts with
 *   the function's name and says why ("join(): variable "x" has no default"), so a rule can explain an
 *   undecided check instead of guessing.
 * - Keep structure that is still known. A list of security group ids where one is a `ref` (an id only
 *   known after apply) is still a list of known length with that ref in it; the analysis follows the ref
 *   to the resource. Only a function that has to look inside a value (`lower`, `jsonencode`, `sort`)
 *   gives up on a ref.
 *
 * Values carry no Terraform type, so list/tuple/set and map/object are the same here. Where Terraform's
 * result depends on the type (sets come out sorted, a list of mixed strings and numbers becomes a list of
 * strings), the functions that produce sets or convert types do it themselves.
 */

/** A reason the function cannot compute its result; becomes `unknown("<name>(): <message>")`. */
class FnError extends Error {}

function fail(message: string): never {
  throw new FnError(message);
}

type Impl = (args: Value[], at: Location | undefined) => Value;

interface Spec {
  min: number;
  max: number;
  impl: Impl;
}

const specs = new Map<string, Spec>();
const ANY = Number.POSITIVE_INFINITY;

function def(name: string, min: number, max: number, impl: Impl): void {
  specs.set(name, { min, max, impl });
}

/** Functions that read the file system; the engine does no I/O, and the language server reads files itself. */
const FILE_FUNCTIONS = new Set([
  'file',
  'fileexists',
  'fileset',
  'filebase64',
  'templatefile',
  'abspath',
  'pathexpand',
  'filemd5',
  'filesha1',
  'filesha256',
  'filesha512',
  'filebase64sha256',
  'filebase64sha512',
]);

/**
 * Functions whose result is only known when Terraform runs (clocks, randomness) or that would need a
 * hashing library the pure engine does not carry. None of them feed a network path in practice.
 */
const APPLY_TIME_FUNCTIONS = new Set([
  'timestamp',
  'plantimestamp',
  'uuid',
  'uuidv5',
  'bcrypt',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'base64sha256',
  'base64sha512',
  'rsadecrypt',
]);

/**
 * Calls the Terraform function `name` on evaluated arguments. The result carries `origin` (the call) when
 * it is a new value; a value passed through unchanged (`lookup`, `element`, `try`, ...) keeps the origin
 * it already has, because a finding about it should point where it was written.
 */
export function callFunction(name: string, args: Value[], origin?: Location): Value {
  // Terraform 1.8+ lets any built-in be written `core::name`.
  const fname = name.startsWith('core::') ? name.slice('core::'.length) : name;
  try {
    if (FILE_FUNCTIONS.has(fname)) return unknown(`${name}(): reads files; not evaluated statically`, origin);
    if (APPLY_TIME_FUNCTIONS.has(fname)) return unknown(`${name}(): computed at apply time`, origin);
    const spec = specs.get(fname);
    if (!spec) return unknown(`function ${name} is not evaluated statically`, origin);
    if (args.length < spec.min || args.length > spec.max) {
      const expected =
        spec.min === spec.max ? `${spec.min}` : spec.max === ANY ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
      const plural = (spec.max === ANY ? spec.min : spec.max) !== 1;
      return unknown(`${name}(): expects ${expected} argument${plural ? 's' : ''}, got ${args.length}`, origin);
    }
    const r = spec.impl(args, origin);
    // A resource or module object answers through its identity (a WeakMap), so it must not be copied.
    if (!origin || r.origin || isLazyObject(r)) return r;
    return { ...r, origin } as Value;
  } catch (e) {
    if (e instanceof FnError || e instanceof CidrError) {
      // A function that failed because an argument is merely unknown is unknown too; otherwise it is an error.
      const propagated = args.some((a) => {
        const u = firstUnknown(a);
        return u !== undefined && !(u.kind === 'unknown' && u.error);
      });
      return propagated ? unknown(`${name}(): ${e.message}`, origin) : errorUnknown(`${name}(): ${e.message}`, origin);
    }
    // A bug here must not take the language server down.
    return unknown(`${name}(): internal error: ${(e as Error)?.message ?? String(e)}`, origin);
  }
}

// ---------------------------------------------------------------------------------------------------
// Unknowns

function describeRef(v: RefValue): string {
  // `tf:<module dir>:<address>` / `cfn:<file>:<LogicalId>`: people know the address, not the key.
  let address = v.target;
  if (address.startsWith('tf:')) {
    const i = address.indexOf(':', 3);
    if (i !== -1) address = address.slice(i + 1);
  } else if (address.startsWith('cfn:')) {
    address = address.slice(address.lastIndexOf(':') + 1);
  }
  return [address, ...v.attr].join('.');
}

/** The first part of a value that is not known, lists and objects included; undefined when all is known. */
function firstNotKnown(v: Value): Value | undefined {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'null':
      return undefined;
    case 'list':
      for (const i of v.items) {
        const u = firstNotKnown(i);
        if (u) return u;
      }
      return undefined;
    case 'object':
      if (isLazyObject(v)) return v;
      for (const i of Object.values(v.entries)) {
        const u = firstNotKnown(i);
        if (u) return u;
      }
      return undefined;
    default:
      return v;
  }
}

/** Why a value (or the first unknown part inside it) cannot be used as a known value. */
function whyNotKnown(v: Value): string {
  switch (v.kind) {
    case 'unknown':
      return v.reason;
    case 'import':
      return `the value imported from export "${v.name}" is not known here`;
    case 'ref':
      return `${describeRef(v)} is only known after apply`;
    case 'concat': {
      const inner = v.parts.find((p) => asString(p) === undefined);
      return inner ? whyNotKnown(inner) : 'the string is only known after apply';
    }
    case 'object':
      if (isLazyObject(v)) return 'the attributes of a resource or module cannot be listed statically';
      break;
  }
  const inner = firstNotKnown(v);
  return inner && inner !== v ? whyNotKnown(inner) : 'the value is not known statically';
}

function isPlaceholder(v: Value): boolean {
  return v.kind === 'ref' || v.kind === 'concat' || v.kind === 'import' || v.kind === 'unknown';
}

/** The value itself when its top level is known (its items may not be); otherwise the function fails. */
function need(v: Value): Value {
  if (isPlaceholder(v)) fail(whyNotKnown(v));
  return v;
}

/** The value when everything inside it is known. */
function needDeep(v: Value): Value {
  const u = firstNotKnown(v);
  if (u) fail(whyNotKnown(u));
  return v;
}

// ---------------------------------------------------------------------------------------------------
// Conversions, with Terraform's rules: numbers and bools become strings where strings are expected,
// numeric strings become numbers, "true"/"false" become bools.

function typeName(v: Value): string {
  switch (v.kind) {
    case 'list':
      return 'list';
    case 'object':
      return 'object';
    default:
      return v.kind;
  }
}

/**
 * A number the way Terraform prints it: never in exponent form (Terraform formats its big decimals with
 * `Text('f', -1)`), so 1e21 is "1000000000000000000000" and 1e-7 is "0.0000001".
 */
export function numStr(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A known string, number or bool as a string; `what` names the argument in the error. */
function toStr(v: Value, what = 'argument'): string {
  need(v);
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'number':
      return numStr(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'null':
      return fail(`${what} must not be null`);
    default:
      return fail(`${what} must be a string, not a ${typeName(v)}`);
  }
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Terraform's string-to-number conversion (big.Float.Parse in base 10): a decimal number, no hex, no spaces. */
function parseNumber(s: string): number | undefined {
  return NUMBER_RE.test(s) ? Number(s) : undefined;
}

function toNum(v: Value, what = 'argument'): number {
  need(v);
  switch (v.kind) {
    case 'number':
      return v.value;
    case 'string': {
      const n = parseNumber(v.value);
      if (n === undefined) fail(`${what}: cannot convert ${JSON.stringify(v.value)} to a number`);
      return n;
    }
    case 'null':
      return fail(`${what} must not be null`);
    default:
      return fail(`${what} must be a number, not a ${typeName(v)}`);
  }
}

function toInt(v: Value, what = 'argument'): number {
  const n = toNum(v, what);
  if (!Number.isInteger(n)) fail(`${what} must be a whole number, not ${numStr(n)}`);
  return n;
}

/** A whole number as a BigInt, exact even beyond 2^53 when it was written as a string. */
function toBigInt(v: Value, what = 'argument'): bigint {
  if (v.kind === 'string' && /^-?\d+$/.test(v.value)) return BigInt(v.value);
  return BigInt(toInt(v, what));
}

function toBoolean(v: Value, what = 'argument'): boolean {
  need(v);
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'string':
      // cty's conversion accepts exactly these spellings.
      if (v.value === 'true' || v.value === '1') return true;
      if (v.value === 'false' || v.value === '0') return false;
      return fail(`${what}: cannot convert ${JSON.stringify(v.value)} to a bool`);
    case 'null':
      return fail(`${what} must not be null`);
    default:
      return fail(`${what} must be a bool, not a ${typeName(v)}`);
  }
}

/** The items of a list whose length is known (the items themselves may not be). */
function toItems(v: Value, what = 'argument'): Value[] {
  need(v);
  if (v.kind === 'list') return v.items;
  if (v.kind === 'null') fail(`${what} must not be null`);
  return fail(`${what} must be a list, not a ${typeName(v)}`);
}

/** The entries of an object whose keys are known (the values may not be). */
function toEntries(v: Value, what = 'argument'): Record<string, Value> {
  need(v);
  if (v.kind === 'object') {
    if (isLazyObject(v)) fail(whyNotKnown(v));
    return v.entries;
  }
  if (v.kind === 'null') fail(`${what} must not be null`);
  return fail(`${what} must be a map or object, not a ${typeName(v)}`);
}

/**
 * Compares strings by code point, which is the byte order of their UTF-8 encoding: the order Terraform
 * (Go) sorts map keys, sets of strings and `sort()` in. Plain `<` compares UTF-16 code units, which
 * differs for characters beyond U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function sortedKeys(entries: Record<string, Value>): string[] {
  return Object.keys(entries).sort(compareStrings);
}

/** A new object with its keys in Terraform's order (sorted). */
function sortedObject(entries: Record<string, Value>, at: Location | undefined): ObjectValue {
  const out: Record<string, Value> = Object.create(null);
  for (const k of sortedKeys(entries)) out[k] = entries[k];
  return obj(out, at);
}

function hasKey(entries: Record<string, Value>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(entries, key);
}

function isStringLike(v: Value): boolean {
  return v.kind === 'string' || v.kind === 'ref' || v.kind === 'concat' || v.kind === 'import';
}

/**
 * Terraform's type unification for the items of one collection (`tolist`, `toset`, `tomap`): when strings
 * meet numbers or bools, everything becomes a string. A ref or concat counts as a string (the ids, ARNs and
 * names it stands for are strings). Numbers and bools do not unify.
 */
function unifyPrimitives(items: Value[]): Value[] {
  let strings = false;
  let numbers = false;
  let bools = false;
  let collections = false;
  for (const i of items) {
    if (isStringLike(i)) strings = true;
    else if (i.kind === 'number') numbers = true;
    else if (i.kind === 'bool') bools = true;
    else if (i.kind === 'list' || i.kind === 'object') collections = true;
  }
  if (collections && (strings || numbers || bools)) fail('all items must have the same type (a collection and a single value cannot be unified)');
  if (!strings && numbers && bools) fail('all items must have the same type (a bool and a number cannot be unified)');
  if (!strings || (!numbers && !bools)) return items;
  return items.map((i) => (i.kind === 'number' || i.kind === 'bool' ? str(toStr(i), i.origin) : i));
}

/**
 * Equality the way Terraform decides membership in a typed collection: a number and a numeric string are
 * the same once unified to strings. `undefined` when a side is not known (two references to the same
 * attribute are known to be equal).
 */
function looseEqual(a: Value, b: Value): boolean | undefined {
  if ((a.kind === 'string' && (b.kind === 'number' || b.kind === 'bool')) || (b.kind === 'string' && (a.kind === 'number' || a.kind === 'bool'))) {
    return toStr(a) === toStr(b);
  }
  return valuesEqual(a, b);
}

/** Whether `items` holds `v`: true, false, or undefined when an unknown item might be it. */
function memberOf(items: Value[], v: Value): { found: boolean | undefined; undecided?: Value } {
  let undecided: Value | undefined;
  for (const i of items) {
    const e = looseEqual(i, v);
    if (e === true) return { found: true };
    if (e === undefined) undecided ??= firstNotKnown(i) ?? firstNotKnown(v) ?? i;
  }
  return undecided ? { found: undefined, undecided } : { found: false };
}

/** Drops repeated items, keeping the first; items not known stay (they may or may not be repeats). */
function dedupe(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const i of items) if (!out.some((o) => valuesEqual(o, i) === true)) out.push(i);
  return out;
}

/**
 * Terraform's set order: strings sorted, numbers ascending, false before true. Items not known have no
 * place in that order yet; they come last, in the order written.
 */
function setOrder(items: Value[]): Value[] {
  const rank = (v: Value) => (v.kind === 'bool' ? 0 : v.kind === 'number' ? 1 : v.kind === 'string' ? 2 : 3);
  const indexed = items.map((v, i) => ({ v, i }));
  indexed.sort((x, y) => {
    const rx = rank(x.v);
    const ry = rank(y.v);
    if (rx !== ry) return rx - ry;
    if (x.v.kind === 'string' && y.v.kind === 'string') return compareStrings(x.v.value, y.v.value);
    if (x.v.kind === 'number' && y.v.kind === 'number') return x.v.value - y.v.value;
    if (x.v.kind === 'bool' && y.v.kind === 'bool') return Number(x.v.value) - Number(y.v.value);
    return x.i - y.i;
  });
  return indexed.map((x) => x.v);
}

function toSetItems(items: Value[]): Value[] {
  return setOrder(dedupe(unifyPrimitives(items)));
}

// ---------------------------------------------------------------------------------------------------
// Collections

def('concat', 1, ANY, (a, at) => list(a.flatMap((x, i) => toItems(x, `argument ${i + 1}`)), at));

def('flatten', 1, 1, (a, at) => {
  const out: Value[] = [];
  const walk = (items: Value[]) => {
    for (const i of items) {
      if (i.kind === 'list') walk(i.items);
      else out.push(i);
    }
  };
  walk(toItems(a[0]));
  return list(out, at);
});

def('tolist', 1, 1, (a, at) => {
  if (a[0].kind === 'null') return a[0];
  return list(unifyPrimitives(toItems(a[0])), at);
});

def('toset', 1, 1, (a, at) => {
  if (a[0].kind === 'null') return a[0];
  return list(toSetItems(toItems(a[0])), at);
});

def('tomap', 1, 1, (a, at) => {
  if (a[0].kind === 'null') return a[0];
  const e = toEntries(a[0]);
  const keys = sortedKeys(e);
  const values = unifyPrimitives(keys.map((k) => e[k]));
  const out: Record<string, Value> = Object.create(null);
  keys.forEach((k, i) => (out[k] = values[i]));
  return obj(out, at);
});

def('merge', 0, ANY, (a, at) => {
  const out: Record<string, Value> = Object.create(null);
  a.forEach((x, i) => {
    // Terraform skips null arguments, which lets `merge(local.base, var.extra)` work with no extra.
    if (x.kind === 'null') return;
    Object.assign(out, toEntries(x, `argument ${i + 1}`));
  });
  return sortedObject(out, at);
});

def('lookup', 2, 3, (a, at) => {
  const m = need(a[0]);
  const key = toStr(a[1], 'key');
  if (m.kind === 'object' && isLazyObject(m)) {
    const r = getAttribute(m, key, at as Location);
    return r.kind === 'unknown' && a.length === 3 ? fail(`${r.reason} (the default is not used: the attributes of a resource or module are not listed statically)`) : r;
  }
  const e = toEntries(m, 'the map');
  if (hasKey(e, key)) return e[key];
  if (a.length === 3) return a[2];
  return fail(`lookup failed to find key ${JSON.stringify(key)}`);
});

def('keys', 1, 1, (a, at) => list(sortedKeys(toEntries(a[0])).map((k) => str(k, at)), at));

def('values', 1, 1, (a, at) => {
  const e = toEntries(a[0]);
  return list(sortedKeys(e).map((k) => e[k]), at);
});

def('length', 1, 1, (a, at) => {
  const v = need(a[0]);
  switch (v.kind) {
    case 'list':
      return num(v.items.length, at);
    case 'object':
      return num(Object.keys(toEntries(v)).length, at);
    case 'string':
      return num(graphemes(v.value).length, at);
    case 'null':
      return fail('argument must not be null');
    default:
      return fail(`argument must be a string, a list or a map, not a ${typeName(v)}`);
  }
});

def('element', 2, 2, (a) => {
  const items = toItems(a[0], 'list');
  const i = toInt(a[1], 'index');
  if (items.length === 0) fail('cannot use element function with an empty list');
  if (i < 0) fail('cannot use element function with a negative index');
  return items[i % items.length];
});

def('index', 2, 2, (a, at) => {
  const items = toItems(a[0], 'list');
  const v = a[1];
  if (isPlaceholder(v) && v.kind !== 'ref') fail(whyNotKnown(v));
  for (let i = 0; i < items.length; i++) {
    const e = looseEqual(items[i], v);
    if (e === true) return num(i, at);
    // An earlier item that may turn out to be equal decides the answer; Terraform would not know it either.
    if (e === undefined) fail(`item ${i} may be the value: ${whyNotKnown(firstNotKnown(items[i]) ?? v)}`);
  }
  return fail('item not found');
});

def('contains', 2, 2, (a, at) => {
  const items = toItems(a[0], 'list');
  const v = a[1];
  if (isPlaceholder(v) && v.kind !== 'ref') fail(whyNotKnown(v));
  const m = memberOf(items, v);
  if (m.found === undefined) fail(whyNotKnown(m.undecided!));
  return bool(m.found, at);
});

def('distinct', 1, 1, (a, at) => list(dedupe(unifyPrimitives(toItems(a[0]))), at));

def('compact', 1, 1, (a, at) => {
  const out: Value[] = [];
  for (const i of toItems(a[0])) {
    if (i.kind === 'null') continue;
    if (i.kind === 'string') {
      if (i.value !== '') out.push(i);
    } else if (i.kind === 'number' || i.kind === 'bool') out.push(str(toStr(i), i.origin ?? at));
    else if (i.kind === 'list' || i.kind === 'object') fail(`compact() takes a list of strings, not a list with a ${typeName(i)} in it`);
    // A ref, concat or unknown item stays: its value is a string that is almost never empty.
    else out.push(i);
  }
  return list(out, at);
});

def('coalesce', 1, ANY, (a) => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x.kind === 'null' || (x.kind === 'string' && x.value === '')) continue;
    // An unknown could be null or "", so the answer depends on it.
    if (x.kind === 'unknown' || x.kind === 'import') fail(whyNotKnown(x));
    // Terraform unifies the arguments' types: a number chosen among strings comes out a string.
    if ((x.kind === 'number' || x.kind === 'bool') && a.some(isStringLike)) return str(toStr(x), x.origin);
    return x;
  }
  return fail('no non-null, non-empty-string arguments');
});

def('coalescelist', 1, ANY, (a) => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x.kind === 'null') continue;
    if (toItems(x, `argument ${i + 1}`).length > 0) return x;
  }
  return fail('no non-null arguments');
});

def('one', 1, 1, (a) => {
  const items = toItems(a[0]);
  if (items.length === 0) return NULL;
  if (items.length > 1) fail(`must be a list, set, or tuple value with either zero or one elements, not ${items.length}`);
  return items[0];
});

def('slice', 3, 3, (a, at) => {
  const items = toItems(a[0], 'list');
  const start = toInt(a[1], 'start index');
  const end = toInt(a[2], 'end index');
  if (start < 0) fail('the start index must not be negative');
  if (end > items.length) fail(`the end index must not be greater than the length of the list (${items.length})`);
  if (start > end) fail('the start index must not be greater than the end index');
  return list(items.slice(start, end), at);
});

def('reverse', 1, 1, (a, at) => list([...toItems(a[0])].reverse(), at));

def('range', 1, 3, (a, at) => {
  const nums = a.map((x, i) => toNum(x, ['start', 'limit', 'step'][a.length === 1 ? 1 : i]));
  const [start, limit] = nums.length === 1 ? [0, nums[0]] : [nums[0], nums[1]];
  const step = nums.length === 3 ? nums[2] : limit < start ? -1 : 1;
  if (step === 0) fail('step must not be zero');
  if (step < 0 && limit > start) fail('end must be less than start when step is negative');
  if (step > 0 && limit < start) fail('end must be greater than start when step is positive');
  const out: Value[] = [];
  // Terraform counts in decimal; computing each value afresh and rounding away binary noise keeps
  // range(0, 1, 0.1) at 0.3 rather than 0.30000000000000004.
  for (let k = 0; ; k++) {
    const v = Number((start + k * step).toPrecision(15));
    if (step > 0 ? v >= limit : v <= limit) break;
    if (out.length >= 1024) fail('more than 1024 values were generated; either decrease the difference between start and end or use a smaller step');
    out.push(num(v, at));
  }
  return list(out, at);
});

def('sort', 1, 1, (a, at) => {
  const strings = toItems(a[0]).map((i) => toStr(i, 'every item'));
  return list(strings.sort(compareStrings).map((s) => str(s, at)), at);
});

def('setunion', 1, ANY, (a, at) => list(toSetItems(a.flatMap((x, i) => toItems(x, `argument ${i + 1}`))), at));

def('setintersection', 1, ANY, (a, at) => {
  const sets = a.map((x, i) => toItems(x, `argument ${i + 1}`));
  const out: Value[] = [];
  for (const item of toSetItems(sets[0])) {
    let inAll = true;
    for (const other of sets.slice(1)) {
      const m = memberOf(other, item);
      if (m.found === undefined) fail(whyNotKnown(m.undecided!));
      if (!m.found) {
        inAll = false;
        break;
      }
    }
    if (inAll) out.push(item);
  }
  return list(out, at);
});

def('setsubtract', 2, 2, (a, at) => {
  const minuend = toSetItems(toItems(a[0], 'argument 1'));
  const subtrahend = toItems(a[1], 'argument 2');
  const out: Value[] = [];
  for (const item of minuend) {
    const m = memberOf(subtrahend, item);
    if (m.found === undefined) fail(whyNotKnown(m.undecided!));
    if (!m.found) out.push(item);
  }
  return list(out, at);
});

def('setproduct', 2, ANY, (a, at) => {
  const sets = a.map((x, i) => toItems(x, `argument ${i + 1}`));
  let product: Value[][] = [[]];
  for (const s of sets) product = product.flatMap((prefix) => s.map((item) => [...prefix, item]));
  return list(
    product.map((t) => list(t, at)),
    at,
  );
});

def('chunklist', 2, 2, (a, at) => {
  const items = toItems(a[0], 'list');
  const size = toInt(a[1], 'size');
  if (size < 0) fail('the size argument must be positive');
  if (size === 0) return list([list(items, at)], at);
  const out: Value[] = [];
  for (let i = 0; i < items.length; i += size) out.push(list(items.slice(i, i + size), at));
  return list(out, at);
});

def('zipmap', 2, 2, (a, at) => {
  const keys = toItems(a[0], 'keys').map((k) => toStr(k, 'every key'));
  const values = toItems(a[1], 'values');
  if (keys.length !== values.length) fail(`number of keys (${keys.length}) does not match number of values (${values.length})`);
  const out: Record<string, Value> = Object.create(null);
  keys.forEach((k, i) => (out[k] = values[i]));
  return sortedObject(out, at);
});

def('transpose', 1, 1, (a, at) => {
  const e = toEntries(a[0]);
  const out: Record<string, Value[]> = Object.create(null);
  for (const k of sortedKeys(e)) {
    for (const v of toItems(e[k], `the value of ${JSON.stringify(k)}`)) (out[toStr(v, 'every item')] ??= []).push(str(k, at));
  }
  const entries: Record<string, Value> = Object.create(null);
  for (const [k, vs] of Object.entries(out)) entries[k] = list(vs, at);
  return sortedObject(entries, at);
});

def('alltrue', 1, 1, (a, at) => {
  let undecided: Value | undefined;
  for (const i of toItems(a[0])) {
    // A known false decides the answer whatever the unknown items turn out to be.
    if (isPlaceholder(i)) undecided ??= i;
    else if (!toBoolean(i, 'every item')) return bool(false, at);
  }
  if (undecided) fail(whyNotKnown(undecided));
  return bool(true, at);
});

def('anytrue', 1, 1, (a, at) => {
  let undecided: Value | undefined;
  for (const i of toItems(a[0])) {
    if (isPlaceholder(i)) undecided ??= i;
    else if (toBoolean(i, 'every item')) return bool(true, at);
  }
  if (undecided) fail(whyNotKnown(undecided));
  return bool(false, at);
});

// ---------------------------------------------------------------------------------------------------
// Type conversion and error handling

def('tostring', 1, 1, (a, at) => {
  const v = a[0];
  // A ref or concat is already a string whose value comes later; converting keeps the link to it.
  if (v.kind === 'null' || v.kind === 'ref' || v.kind === 'concat' || v.kind === 'string') return v;
  return str(toStr(v), at);
});

def('tonumber', 1, 1, (a, at) => {
  const v = a[0];
  if (v.kind === 'null' || v.kind === 'number') return v;
  return num(toNum(v), at);
});

def('tobool', 1, 1, (a, at) => {
  const v = a[0];
  if (v.kind === 'null' || v.kind === 'bool') return v;
  return bool(toBoolean(v), at);
});

/**
 * `try` and `can` see their arguments already evaluated, and the evaluator turns an error (a missing
 * attribute, an index out of range) into an `unknown`, so "failed" means "is unknown". That also treats a
 * value that is merely unknown before apply as a failure.
 */
def('try', 1, ANY, (a) => {
  for (const x of a) {
    // An error falls through to the next argument; a value that is only unknown stays unknown, as in
    // Terraform, rather than being replaced by a fallback that may not apply.
    if (x.kind === 'unknown' && x.error) continue;
    return x;
  }
  return fail(`no argument could be evaluated: ${whyNotKnown(a[0])}`);
});

def('can', 1, 1, (a, at) => (a[0].kind === 'unknown' ? (a[0].error ? bool(false, at) : a[0]) : bool(true, at)));

def('sensitive', 1, 1, (a) => a[0]);
def('nonsensitive', 1, 1, (a) => a[0]);

// ---------------------------------------------------------------------------------------------------
// IP networks

def('cidrsubnet', 3, 3, (a, at) => str(cidrSubnet(toStr(a[0], 'prefix'), toInt(a[1], 'newbits'), toBigInt(a[2], 'netnum')), at));
def('cidrhost', 2, 2, (a, at) => str(cidrHost(toStr(a[0], 'prefix'), toBigInt(a[1], 'hostnum')), at));
def('cidrnetmask', 1, 1, (a, at) => str(cidrNetmask(toStr(a[0], 'prefix')), at));
def('cidrsubnets', 1, ANY, (a, at) => {
  const prefix = toStr(a[0], 'prefix');
  const newbits = a.slice(1).map((x) => toInt(x, 'newbits'));
  return list(
    cidrSubnets(prefix, newbits).map((c) => str(c, at)),
    at,
  );
});

// ---------------------------------------------------------------------------------------------------
// Strings

let segmenter: { segment(s: string): Iterable<{ segment: string }> } | null | undefined;

/**
 * User-perceived characters: Terraform counts `length`, `substr` and `strrev` in grapheme clusters. Falls
 * back to code points where the runtime has no `Intl.Segmenter`.
 */
function graphemes(s: string): string[] {
  if (segmenter === undefined) {
    const I = Intl as unknown as { Segmenter?: new (locale: undefined, o: { granularity: 'grapheme' }) => typeof segmenter };
    segmenter = I.Segmenter ? new I.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  }
  if (!segmenter) return [...s];
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Pieces of a string being built: known text, refs and the parts of concats. */
function pushPiece(pieces: Value[], v: Value): void {
  if (v.kind === 'concat') pieces.push(...v.parts);
  else pieces.push(v);
}

/** A string from pieces: a plain string when all are known, else a `concat` that keeps the refs. */
function buildString(pieces: Value[], at: Location | undefined): Value {
  const r = joinPieces(pieces, at as Location);
  if (!at) delete r.origin;
  return r;
}

def('join', 2, ANY, (a, at) => {
  const sep = toStr(a[0], 'separator');
  const pieces: Value[] = [];
  let n = 0;
  a.slice(1).forEach((l, li) => {
    for (const item of toItems(l, `argument ${li + 2}`)) {
      if (n++ > 0) pieces.push(str(sep));
      // A ref item (an id only known after apply) keeps its link inside a concat; an unknown one cannot.
      if (item.kind === 'ref' || item.kind === 'concat') pushPiece(pieces, item);
      else if (item.kind === 'null') fail(`item ${n - 1} is null`);
      else pieces.push(str(toStr(item, 'every item')));
    }
  });
  return buildString(pieces, at);
});

def('split', 2, 2, (a, at) => {
  const sep = toStr(a[0], 'separator');
  const s = toStr(a[1], 'string');
  // Go's strings.Split with an empty separator splits into characters (code points).
  const parts = sep === '' ? [...s] : s.split(sep);
  return list(
    parts.map((p) => str(p, at)),
    at,
  );
});

def('replace', 3, 3, (a, at) => {
  const s = toStr(a[0], 'string');
  const search = toStr(a[1], 'substring');
  const replacement = toStr(a[2], 'replacement');
  if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
    const re = goRegex(search.slice(1, -1));
    let out = '';
    let last = 0;
    for (const m of goMatchAll(re.regex, s)) {
      out += s.slice(last, m.index) + expandTemplate(replacement, m, re.names);
      last = m.index + m[0].length;
    }
    return str(out + s.slice(last), at);
  }
  // Go's strings.Replace with an empty search string inserts the replacement around every character.
  if (search === '') return str(replacement + [...s].join(replacement) + (s === '' ? '' : replacement), at);
  return str(s.split(search).join(replacement), at);
});

def('substr', 3, 3, (a, at) => {
  const chars = graphemes(toStr(a[0], 'string'));
  let offset = toInt(a[1], 'offset');
  const length = toInt(a[2], 'length');
  // Like Terraform: a negative offset counts from the end, -1 length means "to the end", and anything
  // beyond the string is cut off rather than an error.
  if (offset < 0) offset = Math.max(0, chars.length + offset);
  const end = length < 0 ? chars.length : offset + length;
  return str(chars.slice(offset, end).join(''), at);
});

const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

def('trimspace', 1, 1, (a, at) => str(toStr(a[0]).replace(TRIM_SPACE, ''), at));

def('trim', 2, 2, (a, at) => {
  const chars = [...toStr(a[0], 'string')];
  const cut = new Set(toStr(a[1], 'cutset'));
  let i = 0;
  let j = chars.length;
  while (i < j && cut.has(chars[i])) i++;
  while (j > i && cut.has(chars[j - 1])) j--;
  return str(chars.slice(i, j).join(''), at);
});

def('trimprefix', 2, 2, (a, at) => {
  const s = toStr(a[0], 'string');
  const p = toStr(a[1], 'prefix');
  return str(s.startsWith(p) ? s.slice(p.length) : s, at);
});

def('trimsuffix', 2, 2, (a, at) => {
  const s = toStr(a[0], 'string');
  const p = toStr(a[1], 'suffix');
  return str(p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s, at);
});

def('chomp', 1, 1, (a, at) => str(toStr(a[0]).replace(/(?:\r\n|\n|\r)+$/, ''), at));

def('indent', 2, 2, (a, at) => {
  const n = toInt(a[0], 'spaces');
  return str(toStr(a[1], 'string').replace(/\n/g, `\n${' '.repeat(Math.max(0, n))}`), at);
});

def('strrev', 1, 1, (a, at) => str(graphemes(toStr(a[0])).reverse().join(''), at));
/**
 * Go maps case one character at a time with the simple Unicode mappings: `upper("ß")` stays "ß" and a
 * final sigma lowers to "σ", where JavaScript's full, context-sensitive mappings would differ.
 */
function simpleCase(c: string, to: 'upper' | 'lower'): string {
  const m = to === 'upper' ? c.toUpperCase() : c.toLowerCase();
  return codePointLength(m) === 1 ? m : c;
}

def('lower', 1, 1, (a, at) => str(Array.from(toStr(a[0]), (c) => simpleCase(c, 'lower')).join(''), at));
def('upper', 1, 1, (a, at) => str(Array.from(toStr(a[0]), (c) => simpleCase(c, 'upper')).join(''), at));

/**
 * Go's strings.Title: a letter after a separator starts a word. ASCII separators are everything but
 * letters, digits and `_`; beyond ASCII only white space separates (so `—` does not start a word).
 */
def('title', 1, 1, (a, at) => {
  let prevSeparates = true;
  let out = '';
  for (const c of toStr(a[0])) {
    out += prevSeparates ? simpleCase(c, 'upper') : c;
    prevSeparates = c.codePointAt(0)! <= 0x7f ? !/[0-9A-Za-z_]/.test(c) : !/[\p{L}\p{Nd}]/u.test(c) && /\s/u.test(c);
  }
  return str(out, at);
});

def('startswith', 2, 2, (a, at) => bool(toStr(a[0], 'string').startsWith(toStr(a[1], 'prefix')), at));
def('endswith', 2, 2, (a, at) => bool(toStr(a[0], 'string').endsWith(toStr(a[1], 'suffix')), at));
def('strcontains', 2, 2, (a, at) => bool(toStr(a[0], 'string').includes(toStr(a[1], 'substring')), at));

// ---------------------------------------------------------------------------------------------------
// Regular expressions. Terraform uses Go's RE2 syntax; the common subset is translated to a JavaScript
// RegExp (with the `u` flag, so `.` and classes work on characters). What has no faithful translation
// (mid-pattern flag changes, \C) fails with a reason instead of matching differently.

interface GoRegex {
  regex: RegExp;
  /** One entry per capture group: its name, or undefined when unnamed. */
  names: (string | undefined)[];
}

const UNICODE_CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(' '),
);

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * Characters that keep their backslash in a `u`-mode RegExp; other escaped punctuation (Go allows `\#`,
 * `\@`, ...) becomes the literal character, which `u` mode would otherwise reject. `-` may only be escaped
 * inside a class.
 */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');

function escapeLiteral(c: string, inClass = false): string {
  return JS_SYNTAX.has(c) || (inClass && c === '-') ? `\\${c}` : c;
}

function goRegex(pattern: string): GoRegex {
  let flags = '';
  let p = pattern;
  // Leading flag groups `(?i)`, `(?s)`, `(?m)`, `(?is)` apply to the whole pattern, as JavaScript flags do.
  for (let m = /^\(\?([imsU]+)\)/.exec(p); m; m = /^\(\?([imsU]+)\)/.exec(p)) {
    if (m[1].includes('U')) fail('invalid regular expression pattern: the U (ungreedy) flag is not supported');
    for (const f of m[1]) if (!flags.includes(f)) flags += f;
    p = p.slice(m[0].length);
  }
  const dotAll = flags.includes('s');
  const names: (string | undefined)[] = [];
  let out = '';
  let inClass = false;
  let classStart = false;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === '\\') {
      const d = p[i + 1];
      if (d === undefined) fail('invalid regular expression pattern: trailing backslash');
      if (d === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end === -1 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += [...lit].map((ch) => escapeLiteral(ch, inClass)).join('');
        i = end === -1 ? p.length : end + 2;
        classStart = false;
        continue;
      }
      if (d === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (d === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (d === 'C') fail('invalid regular expression pattern: \\C is not supported');
      else if (d === 'a') out += '\\x07';
      else if (d === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      else if (d === 'S') out += inClass ? '\\S' : '[^\\t\\n\\f\\r ]';
      else if (d === 'x' && p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end === -1) fail('invalid regular expression pattern: unterminated \\x{...}');
        out += `\\u{${p.slice(i + 3, end)}}`;
        i = end + 1;
        classStart = false;
        continue;
      } else if (d === 'p' || d === 'P') {
        let name: string;
        let len: number;
        if (p[i + 2] === '{') {
          const end = p.indexOf('}', i + 3);
          if (end === -1) fail('invalid regular expression pattern: unterminated \\p{...}');
          name = p.slice(i + 3, end);
          len = end + 1 - i;
        } else {
          name = p[i + 2] ?? '';
          len = 3;
        }
        let negate = d === 'P';
        if (name.startsWith('^')) {
          negate = !negate;
          name = name.slice(1);
        }
        const prop = UNICODE_CATEGORIES.has(name) ? name : name === 'Any' ? 'Any' : `Script=${name}`;
        out += `\\${negate ? 'P' : 'p'}{${prop}}`;
        i += len;
        classStart = false;
        continue;
      } else if (/[0-7]/.test(d)) {
        const m = /^[0-7]{1,3}/.exec(p.slice(i + 1))!;
        out += `\\u{${parseInt(m[0], 8).toString(16)}}`;
        i += 1 + m[0].length;
        classStart = false;
        continue;
      } else if (/[A-Za-z0-9]/.test(d)) out += `\\${d}`;
      else out += escapeLiteral(d, inClass);
      i += 2;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
        if (m && POSIX_CLASSES[m[2]] !== undefined) {
          if (m[1]) fail('invalid regular expression pattern: negated POSIX classes are not supported');
          out += POSIX_CLASSES[m[2]];
          i += m[0].length;
          classStart = false;
          continue;
        }
      }
      if (c === ']' && !classStart) {
        inClass = false;
        out += ']';
      } else if (c === ']' || c === '[') out += `\\${c}`;
      else out += c;
      classStart = false;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      i++;
      if (p[i] === '^') {
        out += '^';
        i++;
      }
      // A `]` right after `[` or `[^` is a literal in Go; in JavaScript `[]` is an empty class.
      classStart = true;
      continue;
    }
    if (c === '(') {
      if (p[i + 1] !== '?') {
        names.push(undefined);
        out += '(';
        i++;
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(p.slice(i));
      if (named) {
        names.push(named[1]);
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      if (p.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
        continue;
      }
      return fail(`invalid regular expression pattern: unsupported group syntax at ${JSON.stringify(p.slice(i, i + 5))}`);
    }
    if (c === '{') {
      // Go reads `{` as a literal unless it starts a repetition; JavaScript's `u` mode rejects a lone one.
      const rep = /^\{\d+(?:,\d*)?\}/.exec(p.slice(i));
      if (rep) {
        out += rep[0];
        i += rep[0].length;
      } else {
        out += '\\{';
        i++;
      }
      continue;
    }
    if (c === '}' || c === ']') out += `\\${c}`;
    else if (c === '.') out += dotAll ? '.' : '[^\\n]';
    else out += c;
    i += c.length;
  }
  if (inClass) fail('invalid regular expression pattern: missing closing ]');
  try {
    return { regex: new RegExp(out, `${flags}gu`), names };
  } catch (e) {
    return fail(`invalid regular expression pattern: ${(e as Error).message}`);
  }
}

/**
 * All matches the way Go's regexp finds them: like `matchAll`, except that an empty match right where the
 * previous match ended is skipped (`a*` on "baaac" matches "", "aaa", "" — not a second "" after "aaa").
 */
function goMatchAll(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let prevEnd = -1;
  for (const m of s.matchAll(re)) {
    const end = m.index + m[0].length;
    if (!(m[0] === '' && m.index === prevEnd)) out.push(m as RegExpExecArray);
    prevEnd = end;
  }
  return out;
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; a missing group is empty. */
function expandTemplate(t: string, m: RegExpExecArray, names: (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < t.length; ) {
    const c = t[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (t[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let len = 0;
    if (t[i + 1] === '{') {
      const mm = /^\{([A-Za-z0-9_]+)\}/.exec(t.slice(i + 1));
      if (mm) {
        name = mm[1];
        len = 1 + mm[0].length;
      }
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(t.slice(i + 1));
      if (mm) {
        name = mm[0];
        len = 1 + mm[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      i++;
      continue;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else {
      const g = names.indexOf(name);
      out += g === -1 ? '' : (m[g + 1] ?? '');
    }
    i += len;
  }
  return out;
}

/** regex()'s result for one match: the match, the list of captures, or the object of named captures. */
function regexResult(m: RegExpExecArray, names: (string | undefined)[], at: Location | undefined): Value {
  if (names.length === 0) return str(m[0], at);
  if (names.every((n) => n === undefined)) {
    return list(
      names.map((_, i) => str(m[i + 1] ?? '', at)),
      at,
    );
  }
  const out: Record<string, Value> = Object.create(null);
  names.forEach((n, i) => (out[n!] = str(m[i + 1] ?? '', at)));
  return sortedObject(out, at);
}

function compileForRegexFn(pattern: string): GoRegex {
  const re = goRegex(pattern);
  const named = re.names.filter((n) => n !== undefined).length;
  if (named > 0 && named < re.names.length) fail("invalid regular expression pattern: can't mix named and unnamed capture groups");
  return re;
}

def('regex', 2, 2, (a, at) => {
  const re = compileForRegexFn(toStr(a[0], 'pattern'));
  const s = toStr(a[1], 'string');
  re.regex.lastIndex = 0;
  const m = re.regex.exec(s);
  if (!m) fail('pattern did not match any part of the given string');
  return regexResult(m, re.names, at);
});

def('regexall', 2, 2, (a, at) => {
  const re = compileForRegexFn(toStr(a[0], 'pattern'));
  const s = toStr(a[1], 'string');
  return list(
    goMatchAll(re.regex, s).map((m) => regexResult(m, re.names, at)),
    at,
  );
});

// ---------------------------------------------------------------------------------------------------
// format and formatlist: Go's fmt verbs as cty implements them (cty/function/stdlib/format.go).

interface Verb {
  /** The verb as written, for messages (`%-5s`). */
  text: string;
  /** Offset of the verb in the format string, for messages as Terraform gives them. */
  pos: number;
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Pads to the verb's width, counted in characters (grapheme clusters): spaces on the left, on the right
 * with `-`, zeros with `0` (after the sign, for numbers).
 */
function pad(s: string, v: Verb, numeric: boolean): string {
  const len = graphemes(s).length;
  if (v.width === undefined || len >= v.width) return s;
  const fill = v.width - len;
  if (v.flags.includes('-')) return s + ' '.repeat(fill);
  if (v.flags.includes('0')) {
    const sign = numeric && /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function signed(body: string, negative: boolean, v: Verb): string {
  if (negative) return `-${body}`;
  if (v.flags.includes('+')) return `+${body}`;
  if (v.flags.includes(' ')) return ` ${body}`;
  return body;
}

/** Decimal digits and exponent of |n|: `digits` without trailing zeros, n = 0.d1d2... * 10^(exp+1). */
function decimalDigits(n: number, significant?: number): { digits: string; exp: number } {
  // Terraform numbers are always finite; a NaN can only come from arithmetic here (0/0 is caught upstream).
  if (!Number.isFinite(n)) fail(`${n} is not a number Terraform can format`);
  const e = significant === undefined ? Math.abs(n).toExponential() : Math.abs(n).toExponential(Math.max(0, significant - 1));
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const digits = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { digits, exp: digits === '0' ? 0 : Number(m[3]) };
}

function fmtExp(digits: string, exp: number, upper: boolean): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${mant}${upper ? 'E' : 'e'}${e}`;
}

function fmtFixed(digits: string, exp: number, decimals: number): string {
  const dp = exp + 1;
  const intPart = dp > 0 ? digits.slice(0, dp).padEnd(dp, '0') : '0';
  const frac = (dp < 0 ? '0'.repeat(-dp) + digits : digits.slice(Math.max(dp, 0))).padEnd(decimals, '0').slice(0, decimals);
  return decimals > 0 ? `${intPart}.${frac}` : intPart;
}

/** Go's %g: shortest (or `precision` significant digits), in exponent form only for large or tiny numbers. */
function fmtG(n: number, precision: number | undefined, upper: boolean): string {
  const { digits, exp } = decimalDigits(n, precision === 0 ? 1 : precision);
  let eprec = precision === undefined ? 6 : precision === 0 ? 1 : precision;
  if (precision !== undefined && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) return fmtExp(digits, exp, upper);
  return fmtFixed(digits, exp, Math.max(digits.length - (exp + 1), 0));
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** One verb applied to one argument: the text, or pieces when a `%s`/`%v` argument is a ref or concat. */
function formatOne(v: Verb, arg: Value): string | Value[] {
  const where = `unsupported value for "${v.text}" at ${v.pos}`;
  if ((arg.kind === 'ref' || arg.kind === 'concat') && (v.verb === 's' || v.verb === 'v') && v.width === undefined && v.precision === undefined && !v.flags.includes('#')) {
    return arg.kind === 'concat' ? arg.parts : [arg];
  }
  if (isPlaceholder(arg)) fail(whyNotKnown(arg));
  const what = `the argument for "${v.text}" at ${v.pos}`;
  switch (v.verb) {
    case 'v': {
      // Strings as they are, numbers as %g would print them (so 1000000 is "1e+06", as in Terraform),
      // anything else (bools, null, collections) as JSON.
      if (!v.flags.includes('#') && arg.kind === 'string') return pad(arg.value, v, false);
      if (!v.flags.includes('#') && arg.kind === 'number') return pad(fmtG(arg.value, undefined, false), v, false);
      return pad(jsonEncode(needDeep(arg)), v, false);
    }
    case 's':
    case 'q': {
      if (arg.kind === 'null') fail(`${where}: null value cannot be formatted`);
      if (arg.kind === 'list' || arg.kind === 'object') fail(`${where}: string required`);
      let s = toStr(arg, what);
      // cty truncates only for a precision above zero (`%.0s` prints the whole string).
      if (v.precision !== undefined && v.precision > 0) s = graphemes(s).slice(0, v.precision).join('');
      return pad(v.verb === 'q' ? jsonString(s) : s, v, false);
    }
    case 't':
      if (arg.kind === 'null') fail(`${where}: null value cannot be formatted`);
      return pad(toBoolean(arg, what) ? 'true' : 'false', v, false);
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      if (arg.kind === 'null') fail(`${where}: null value cannot be formatted`);
      if ((v.verb === 'x' || v.verb === 'X') && arg.kind === 'string' && parseNumber(arg.value) === undefined) {
        // %x of a string is the hex of its UTF-8 bytes.
        const hex = Array.from(utf8(arg.value), (b) => b.toString(16).padStart(2, '0')).join('');
        return pad(v.verb === 'X' ? hex.toUpperCase() : hex, v, false);
      }
      const n = toNum(arg, what);
      if (!Number.isInteger(n)) fail(`${where}: an integer is required`);
      const radix = { d: 10, b: 2, o: 8, x: 16, X: 16 }[v.verb]!;
      let body = BigInt(Math.abs(n)).toString(radix);
      if (v.verb === 'X') body = body.toUpperCase();
      if (v.precision !== undefined) body = body.padStart(v.precision, '0');
      return pad(signed(body, n < 0, v), v, true);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      if (arg.kind === 'null') fail(`${where}: null value cannot be formatted`);
      const n = toNum(arg, what);
      let body: string;
      if (v.verb === 'f' || v.verb === 'F') {
        const { digits, exp } = decimalDigits(n);
        // Rounding goes through toFixed (correct to the double); the digits only serve numbers toFixed
        // prints in exponent form.
        body = Math.abs(n) < 1e21 ? Math.abs(n).toFixed(v.precision ?? 6) : fmtFixed(digits, exp, v.precision ?? 6);
      } else if (v.verb === 'e' || v.verb === 'E') {
        const { digits, exp } = decimalDigits(n, (v.precision ?? 6) + 1);
        body = fmtExp(digits.padEnd((v.precision ?? 6) + 1, '0'), exp, v.verb === 'E');
      } else body = fmtG(n, v.precision, v.verb === 'G');
      return pad(signed(body, n < 0 || Object.is(n, -0), v), v, true);
    }
    default:
      return fail(`unsupported format verb '${v.verb}' in "${v.text}" at offset ${v.pos}`);
  }
}

/**
 * Terraform's format(): the string, or a concat when a `%s`/`%v` argument is a ref or concat. Like cty,
 * arguments the format string does not use are ignored.
 */
function formatValue(fmt: string, args: Value[], at: Location | undefined): Value {
  const pieces: Value[] = [];
  let lit = '';
  let next = 0;
  const chars = [...fmt];
  let pos = 0;
  for (let i = 0; i < chars.length; ) {
    const c = chars[i];
    if (c !== '%') {
      lit += c;
      pos += c.length;
      i++;
      continue;
    }
    const start = i;
    const startPos = pos;
    i++;
    if (chars[i] === '%') {
      lit += '%';
      i++;
      pos += 2;
      continue;
    }
    let flags = '';
    while (i < chars.length && '-+# 0'.includes(chars[i])) flags += chars[i++];
    // `[n]` picks the argument (1-based); later verbs continue from n+1.
    if (chars[i] === '[') {
      let j = i + 1;
      let digits = '';
      while (j < chars.length && /\d/.test(chars[j])) digits += chars[j++];
      if (chars[j] !== ']' || !/^[1-9]/.test(digits)) fail(`invalid format string starting at offset ${startPos}`);
      next = Number(digits) - 1;
      i = j + 1;
    }
    let width: number | undefined;
    let precision: number | undefined;
    let digits = '';
    while (i < chars.length && /\d/.test(chars[i])) digits += chars[i++];
    if (digits) width = Number(digits);
    if (chars[i] === '.') {
      i++;
      digits = '';
      while (i < chars.length && /\d/.test(chars[i])) digits += chars[i++];
      precision = digits ? Number(digits) : 0;
    }
    const verb = chars[i];
    if (verb === undefined) fail(`invalid format string starting at offset ${startPos}`);
    if (!/^[A-Za-z]$/.test(verb)) fail(`unrecognized format character ${JSON.stringify(verb)} at offset ${pos + (i - start)}`);
    i++;
    const text = chars.slice(start, i).join('');
    pos += text.length;
    if (next < 0 || next >= args.length) {
      fail(`not enough arguments for "${text}" at ${startPos}: need index ${next + 1} but have ${args.length} total`);
    }
    const r = formatOne({ text, pos: startPos, flags, width, precision, verb }, args[next++]);
    if (typeof r === 'string') lit += r;
    else {
      if (lit) pieces.push(str(lit));
      lit = '';
      pieces.push(...r);
    }
  }
  if (lit || pieces.length === 0) pieces.push(str(lit));
  return buildString(pieces, at);
}

def('format', 1, ANY, (a, at) => formatValue(toStr(a[0], 'the format string'), a.slice(1), at));

def('formatlist', 1, ANY, (a, at) => {
  // Lists are iterated together; any other argument is repeated for every element.
  let n: number | undefined;
  let which = 0;
  a.forEach((x, i) => {
    if (isPlaceholder(x)) fail(whyNotKnown(x));
    if (x.kind !== 'list') return;
    if (n !== undefined && x.items.length !== n) {
      fail(`argument ${i + 1} has length ${x.items.length}, which is inconsistent with argument ${which + 1} of length ${n}`);
    }
    n = x.items.length;
    which = i;
  });
  const out: Value[] = [];
  for (let k = 0; k < (n ?? 1); k++) {
    const row = a.map((x) => (x.kind === 'list' ? x.items[k] : x));
    out.push(formatValue(toStr(row[0], 'the format string'), row.slice(1), at));
  }
  return list(out, at);
});

// ---------------------------------------------------------------------------------------------------
// Encodings

/**
 * A JSON string as Go's encoding/json writes it, which Terraform's jsonencode uses: `<`, `>`, `&`,
 * U+2028 and U+2029 are escaped as \u sequences, and lone surrogates become U+FFFD.
 */
function jsonString(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (cp < 0x20 || c === '<' || c === '>' || c === '&' || cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else out += c;
  }
  return `${out}"`;
}

/** JSON of a fully known value: keys sorted, numbers without exponents, as Terraform writes it. */
function jsonEncode(v: Value): string {
  switch (v.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v.value)) fail(`${v.value} cannot be encoded as JSON`);
      return numStr(v.value);
    case 'string':
      return jsonString(v.value);
    case 'list':
      return `[${v.items.map(jsonEncode).join(',')}]`;
    case 'object':
      return `{${sortedKeys(v.entries)
        .map((k) => `${jsonString(k)}:${jsonEncode(v.entries[k])}`)
        .join(',')}}`;
    default:
      return fail(whyNotKnown(v));
  }
}

function fromJson(x: unknown, at: Location | undefined): Value {
  if (x === null) return at ? { kind: 'null', origin: at } : NULL;
  if (typeof x === 'string') return str(x, at);
  if (typeof x === 'number') return num(x, at);
  if (typeof x === 'boolean') return bool(x, at);
  if (Array.isArray(x)) {
    return list(
      x.map((i) => fromJson(i, at)),
      at,
    );
  }
  const out: Record<string, Value> = Object.create(null);
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) out[k] = fromJson(v, at);
  return sortedObject(out, at);
}

def('jsonencode', 1, 1, (a, at) => str(jsonEncode(needDeep(a[0])), at));

def('jsondecode', 1, 1, (a, at) => {
  const s = toStr(a[0]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    fail(`invalid JSON: ${(e as Error).message}`);
  }
  return fromJson(parsed, at);
});

function yamlScalar(v: Value): string {
  switch (v.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'number':
      return numStr(v.value);
    case 'string':
      // Terraform quotes every string (and key) in double quotes; JSON's escapes are valid YAML ones.
      return JSON.stringify(v.value);
    default:
      return fail(whyNotKnown(v));
  }
}

function yamlLines(v: Value): string[] {
  if (v.kind === 'list') {
    if (v.items.length === 0) return ['[]'];
    return v.items.flatMap((item) => {
      const sub = yamlLines(item);
      return [`- ${sub[0]}`, ...sub.slice(1).map((l) => `  ${l}`)];
    });
  }
  if (v.kind === 'object') {
    const keys = sortedKeys(v.entries);
    if (keys.length === 0) return ['{}'];
    return keys.flatMap((k) => {
      const val = v.entries[k];
      const key = `${JSON.stringify(k)}:`;
      const sub = yamlLines(val);
      // Block collections start on the next line: a sequence at the key's indentation, a mapping below it.
      if (val.kind === 'list' && val.items.length > 0) return [key, ...sub];
      if (val.kind === 'object' && Object.keys(val.entries).length > 0) return [key, ...sub.map((l) => `  ${l}`)];
      return [`${key} ${sub[0]}`];
    });
  }
  return [yamlScalar(v)];
}

def('yamlencode', 1, 1, (a, at) => str(`${yamlLines(needDeep(a[0])).join('\n')}\n`, at));

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/** Standard, padded base64 as Go's StdEncoding reads it (line breaks ignored); undefined when invalid. */
function base64Decode(s: string): Uint8Array | undefined {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:=|==)?$/.test(t)) return undefined;
  const pads = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((t.length / 4) * 3 - pads);
  let o = 0;
  for (let i = 0; i < t.length; i += 4) {
    const n = [0, 1, 2, 3].reduce((acc, k) => (acc << 6) | (t[i + k] === '=' ? 0 : B64.indexOf(t[i + k])), 0);
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (n >> shift) & 255;
  }
  return out;
}

def('base64encode', 1, 1, (a, at) => str(base64Encode(utf8(toStr(a[0]))), at));

def('base64decode', 1, 1, (a, at) => {
  const s = toStr(a[0]);
  const bytes = base64Decode(s);
  if (!bytes) fail(`failed to decode base64 data ${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s)}`);
  try {
    return str(new TextDecoder('utf-8', { fatal: true }).decode(bytes), at);
  } catch {
    return fail('the result of decoding the provided string is not valid UTF-8');
  }
});

// ---------------------------------------------------------------------------------------------------
// Numbers

def('min', 1, ANY, (a, at) => num(Math.min(...a.map((x) => toNum(x))), at));
def('max', 1, ANY, (a, at) => num(Math.max(...a.map((x) => toNum(x))), at));
def('abs', 1, 1, (a, at) => num(Math.abs(toNum(a[0])), at));
def('ceil', 1, 1, (a, at) => num(Math.ceil(toNum(a[0])), at));
def('floor', 1, 1, (a, at) => num(Math.floor(toNum(a[0])), at));
def('signum', 1, 1, (a, at) => num(Math.sign(toNum(a[0])) || 0, at));
def('pow', 2, 2, (a, at) => num(Math.pow(toNum(a[0], 'base'), toNum(a[1], 'exponent')), at));
def('log', 2, 2, (a, at) => num(Math.log(toNum(a[0], 'number')) / Math.log(toNum(a[1], 'base')), at));

def('sum', 1, 1, (a, at) => {
  const items = toItems(a[0]);
  if (items.length === 0) fail('cannot sum an empty list');
  return num(
    items.reduce((acc, i) => acc + toNum(i, 'every item'), 0),
    at,
  );
});

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Go's big.Int SetString with an explicit base: letters are case-insensitive up to base 36. */
def('parseint', 2, 2, (a, at) => {
  const s = toStr(a[0], 'number');
  const base = toInt(a[1], 'base');
  if (base < 2 || base > 62) fail('base must be a whole number between 2 and 62 inclusive');
  const bad = () => fail(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
  const m = /^([+-]?)(.+)$/.exec(s);
  if (!m) bad();
  let n = 0n;
  for (const c of m![2]) {
    const d = DIGITS.indexOf(base <= 36 ? c.toLowerCase() : c);
    if (d === -1 || d >= base) bad();
    n = n * BigInt(base) + BigInt(d);
  }
  return num(Number(m![1] === '-' ? -n : n), at);
});

export const SUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set(specs.keys());
