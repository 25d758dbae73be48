import type { Expr } from '../../parse/terraform/ast';
import type { Location } from '../../model/span';
import {
  type Value,
  type ObjectValue,
  asString,
  asNumber,
  asBool,
  bool,
  num,
  str,
  list,
  obj,
  unknown,
  errorUnknown,
  firstUnknown,
} from '../../model/value';
import { callFunction } from './functions';

/**
 * Static evaluation of HCL expressions into `Value`s. The evaluator never throws: whatever it cannot
 * compute becomes an `unknown` with the reason, so a rule can say why it could not decide instead of
 * guessing. Names that are not bound locally (`var`, `local`, resource types, `module`, `data`, ...) are
 * handed to the context, which knows the module they live in.
 */
export interface EvalContext {
  file: string;
  /** Resolves a root name that is not bound in the environment. */
  root(name: string, at: Location): Value;
}

/** Local bindings: `each`, `count`, `for` variables, dynamic block iterators, the splat item. */
export class Env {
  constructor(
    private readonly vars: ReadonlyMap<string, Value>,
    private readonly parent?: Env,
  ) {}

  static of(entries: Record<string, Value>, parent?: Env): Env {
    return new Env(new Map(Object.entries(entries)), parent);
  }

  get(name: string): Value | undefined {
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    return this.parent?.get(name);
  }
}

const SPLAT_ITEM = '\u0000splat';

/**
 * Objects whose attributes are computed on demand: a resource instance (`aws_security_group.x`), a module
 * instance (`module.net`), a data source. Laziness matters: `aws_security_group.a.id` must not evaluate the
 * body of `a`, which may itself refer to `b`, which refers back to `a`.
 */
// The getter lives on the object under a symbol, not in a WeakMap: the evaluator makes several such objects
// per resource, and a WeakMap of hundreds of thousands of entries costs the garbage collector far more
// (measured in the benchmark: peak memory of a 10,000-file workspace nearly halved).
const LAZY = Symbol('lazy attributes');
type LazyObject = ObjectValue & { [LAZY]?: (name: string) => Value | undefined };

function lazyGetter(v: ObjectValue): ((name: string) => Value | undefined) | undefined {
  return (v as LazyObject)[LAZY];
}

export function lazyObject(getter: (name: string) => Value | undefined, origin?: Location): ObjectValue {
  const o = obj({}, origin) as LazyObject;
  Object.defineProperty(o, LAZY, { value: getter, enumerable: false });
  return o;
}

export function isLazyObject(v: Value): boolean {
  return v.kind === 'object' && lazyGetter(v) !== undefined;
}

/** `object.name` with Terraform's rules; resource and module objects answer lazily. */
export function getAttribute(v: Value, name: string, at: Location): Value {
  switch (v.kind) {
    case 'object': {
      const lazy = lazyGetter(v);
      if (lazy) {
        const r = lazy(name);
        return r ?? errorUnknown(`has no attribute "${name}"`, at);
      }
      if (Object.prototype.hasOwnProperty.call(v.entries, name)) return v.entries[name];
      return errorUnknown(`object has no attribute "${name}"`, at);
    }
    case 'unknown':
      return v;
    case 'import':
      return unknown(`attribute "${name}" of an imported value`, at);
    case 'null':
      return errorUnknown(`attribute "${name}" of null`, at);
    case 'ref':
      // An attribute of an attribute that only exists after apply (e.g. `aws_lb.x.subnet_mapping[0].subnet_id`
      // on an unconfigured attribute) is itself only known after apply.
      return { kind: 'ref', target: v.target, attr: [...v.attr, name], origin: at };
    case 'list':
      return errorUnknown(`attribute "${name}" of a list (use an index or [*])`, at);
    default:
      return errorUnknown(`attribute "${name}" of a ${v.kind}`, at);
  }
}

/** `collection[key]`. */
export function indexValue(v: Value, key: Value, at: Location): Value {
  if (v.kind === 'unknown') return v;
  if (key.kind === 'unknown') return key;
  if (v.kind === 'list') {
    const i = asNumber(key);
    if (i === undefined) return errorUnknown('list index is not a number', at);
    if (i < 0 || i >= v.items.length || !Number.isInteger(i)) return errorUnknown(`index ${i} is out of range (${v.items.length} items)`, at);
    return v.items[i];
  }
  if (v.kind === 'object') {
    const k = asString(key);
    if (k === undefined) return unknown('map key is not known', at);
    return getAttribute(v, k, at);
  }
  if (v.kind === 'ref') {
    const k = asString(key);
    return { kind: 'ref', target: v.target, attr: [...v.attr, k ?? '*'], origin: at };
  }
  return errorUnknown(`cannot index a ${v.kind}`, at);
}

function withOrigin(v: Value, at: Location): Value {
  // Values keep where they were first written (a variable's default, a literal); only values that have
  // no origin yet get the expression's.
  if (v.origin) return v;
  return { ...v, origin: at } as Value;
}

export function evaluate(expr: Expr, ctx: EvalContext, env?: Env, depth = 0): Value {
  const at: Location = { file: ctx.file, span: expr.span };
  if (depth > 200) return unknown('expression nested too deeply to evaluate', at);
  try {
    return evaluateInner(expr, ctx, env, depth + 1, at);
  } catch (e) {
    // A bug in the evaluator must not take the language server down; it becomes an unknown value.
    return unknown(`internal evaluation error: ${(e as Error).message}`, at);
  }
}

function evaluateInner(expr: Expr, ctx: EvalContext, env: Env | undefined, depth: number, at: Location): Value {
  const ev = (e: Expr, en: Env | undefined = env) => evaluate(e, ctx, en, depth);
  switch (expr.kind) {
    case 'literal': {
      const v = expr.value;
      if (v === null) return { kind: 'null', origin: at };
      if (typeof v === 'string') return str(v, at);
      if (typeof v === 'number') return num(v, at);
      return bool(v, at);
    }
    case 'template':
      return evalTemplateParts(expr.parts, ctx, env, depth, at, true);
    case 'templateIf':
    case 'templateFor':
      return evalTemplateParts([expr], ctx, env, depth, at, false);
    case 'tuple':
      return list(expr.items.map((i) => ev(i)), at);
    case 'object': {
      const entries: Record<string, Value> = Object.create(null);
      for (const item of expr.items) {
        const k = item.key.kind === 'variable' ? str(item.key.name) : ev(item.key);
        const ks = asString(k);
        if (ks === undefined) return unknown('an object key is not known statically', at);
        entries[ks] = ev(item.value);
      }
      return obj(entries, at);
    }
    case 'variable': {
      const bound = env?.get(expr.name);
      if (bound !== undefined) return bound;
      return ctx.root(expr.name, at);
    }
    case 'getattr':
      return getAttribute(ev(expr.object), expr.name, at);
    case 'index':
      return indexValue(ev(expr.object), ev(expr.key), at);
    case 'splatItem':
      return env?.get(SPLAT_ITEM) ?? unknown('splat item outside a splat', at);
    case 'splat': {
      const src = ev(expr.source);
      let items: Value[];
      if (src.kind === 'null') items = [];
      else if (src.kind === 'list') items = src.items;
      else if (src.kind === 'unknown') return src;
      else items = [src];
      return list(
        items.map((item) => ev(expr.each, Env.of({ [SPLAT_ITEM]: item }, env))),
        at,
      );
    }
    case 'call':
      return evalCall(expr, ctx, env, depth, at);
    case 'for':
      return evalFor(expr, ctx, env, depth, at);
    case 'conditional': {
      const c = ev(expr.cond);
      const b = asBool(c);
      if (b === true) return ev(expr.then);
      if (b === false) return ev(expr.else);
      const t = ev(expr.then);
      const e = ev(expr.else);
      if (sameKnown(t, e)) return t;
      const u = firstUnknown(c);
      return unknown(`depends on a condition that is not known statically${u ? ` (${u.kind === 'unknown' ? u.reason : 'imported value'})` : ''}`, at);
    }
    case 'binary':
      return evalBinary(expr.op, ev(expr.left), ev(expr.right), at);
    case 'unary': {
      const v = ev(expr.operand);
      if (expr.op === '!') {
        const b = asBool(v);
        return b === undefined ? unknownFrom(v, '! of a value that is not known', at) : bool(!b, at);
      }
      const n = asNumber(v);
      return n === undefined ? unknownFrom(v, '- of a value that is not known', at) : num(-n, at);
    }
    case 'paren':
      return ev(expr.expr);
    case 'invalid':
      return unknown('the expression has a syntax error', at);
  }
}

function unknownFrom(v: Value, fallback: string, at: Location): Value {
  if (v.kind === 'unknown') return v;
  const u = firstUnknown(v);
  if (u && u.kind === 'unknown') return unknown(u.reason, at);
  return unknown(fallback, at);
}

function sameKnown(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'string' || a.kind === 'number' || a.kind === 'bool') return a.value === (b as typeof a).value;
  if (a.kind === 'null') return true;
  return false;
}

/** Template parts concatenate to a string; a template that is one interpolation is that value itself. */
function evalTemplateParts(parts: Expr[], ctx: EvalContext, env: Env | undefined, depth: number, at: Location, unwrapSingle: boolean): Value {
  if (unwrapSingle && parts.length === 1 && parts[0].kind !== 'literal' && parts[0].kind !== 'templateIf' && parts[0].kind !== 'templateFor') {
    return withOrigin(evaluate(parts[0], ctx, env, depth), at);
  }
  const pieces: Value[] = [];
  const push = (v: Value) => {
    if (v.kind === 'concat') pieces.push(...v.parts);
    else pieces.push(v);
  };
  for (const p of parts) {
    if (p.kind === 'templateIf') {
      const c = asBool(evaluate(p.cond, ctx, env, depth));
      if (c === undefined) return unknown('template %{if} condition is not known statically', at);
      const branch = c ? p.then : (p.else ?? []);
      push(evalTemplateParts(branch, ctx, env, depth, at, false));
    } else if (p.kind === 'templateFor') {
      const coll = evaluate(p.collection, ctx, env, depth);
      const entries = iterate(coll);
      if (!entries) return unknownFrom(coll, 'template %{for} collection is not known statically', at);
      for (const [k, v] of entries) {
        const bind: Record<string, Value> = { [p.valueVar]: v };
        if (p.keyVar) bind[p.keyVar] = k;
        push(evalTemplateParts(p.body, ctx, Env.of(bind, env), depth, at, false));
      }
    } else {
      const v = evaluate(p, ctx, env, depth);
      if (v.kind === 'list' || v.kind === 'object') return unknown('cannot interpolate a list or object into a string', at);
      if (v.kind === 'null') return unknown('cannot interpolate null into a string', at);
      push(v);
    }
  }
  return joinPieces(pieces, at);
}

/** Joins string pieces; adjacent known strings merge, and the result is a plain string when all are known. */
export function joinPieces(pieces: Value[], at: Location): Value {
  const out: Value[] = [];
  let acc = '';
  let hasAcc = false;
  for (const p of pieces) {
    const s = asString(p);
    if (s !== undefined) {
      acc += s;
      hasAcc = true;
    } else if (p.kind === 'unknown') {
      // An unknown part makes the whole string unknown for matching purposes, but a ref keeps the link.
      out.push(p);
    } else {
      if (hasAcc) out.push(str(acc));
      acc = '';
      hasAcc = false;
      out.push(p);
    }
  }
  if (out.length === 0) return str(acc, at);
  if (hasAcc) out.push(str(acc));
  return { kind: 'concat', parts: out, origin: at };
}

/** Key/value pairs of a known list (keys are indexes) or object; undefined when not iterable statically. */
export function iterate(v: Value): [Value, Value][] | undefined {
  if (v.kind === 'list') return v.items.map((item, i) => [num(i), item]);
  if (v.kind === 'object' && !lazyGetter(v)) {
    return Object.keys(v.entries)
      .sort()
      .map((k) => [str(k), v.entries[k]]);
  }
  if (v.kind === 'null') return [];
  return undefined;
}

function evalCall(expr: Extract<Expr, { kind: 'call' }>, ctx: EvalContext, env: Env | undefined, depth: number, at: Location): Value {
  let args = expr.args.map((a) => evaluate(a, ctx, env, depth));
  if (expr.expandFinal && args.length > 0) {
    const last = args[args.length - 1];
    if (last.kind === 'list') args = [...args.slice(0, -1), ...last.items];
    else return unknownFrom(last, `${expr.name}(...): the expanded argument is not a known list`, at);
  }
  return callFunction(expr.name, args, at);
}

function evalFor(expr: Extract<Expr, { kind: 'for' }>, ctx: EvalContext, env: Env | undefined, depth: number, at: Location): Value {
  const coll = evaluate(expr.collection, ctx, env, depth);
  const entries = iterate(coll);
  if (!entries) return unknownFrom(coll, 'for expression over a collection that is not known statically', at);
  const tupleItems: Value[] = [];
  const objEntries: Record<string, Value> = Object.create(null);
  const groups: Record<string, Value[]> = Object.create(null);
  for (const [k, v] of entries) {
    const bind: Record<string, Value> = { [expr.valueVar]: v };
    if (expr.keyVar) bind[expr.keyVar] = k;
    const inner = Env.of(bind, env);
    if (expr.cond) {
      const c = asBool(evaluate(expr.cond, ctx, inner, depth));
      if (c === undefined) return unknown('for expression filter is not known statically', at);
      if (!c) continue;
    }
    if (!expr.object) {
      tupleItems.push(evaluate(expr.valueExpr, ctx, inner, depth));
      continue;
    }
    const key = asString(evaluate(expr.keyExpr!, ctx, inner, depth));
    if (key === undefined) return unknown('for expression key is not known statically', at);
    const val = evaluate(expr.valueExpr, ctx, inner, depth);
    if (expr.group) (groups[key] ??= []).push(val);
    else objEntries[key] = val;
  }
  if (!expr.object) return list(tupleItems, at);
  if (expr.group) {
    for (const [k, vs] of Object.entries(groups)) objEntries[k] = list(vs);
  }
  return obj(objEntries, at);
}

function evalBinary(op: string, l: Value, r: Value, at: Location): Value {
  switch (op) {
    case '&&':
    case '||': {
      const a = asBool(l);
      const b = asBool(r);
      // Short-circuit on a known side, as Terraform 1.x does for unknowns.
      if (op === '&&' && (a === false || b === false)) return bool(false, at);
      if (op === '||' && (a === true || b === true)) return bool(true, at);
      if (a === undefined || b === undefined) return unknownFrom(a === undefined ? l : r, `${op} of a value that is not known`, at);
      return bool(op === '&&' ? a && b : a || b, at);
    }
    case '==':
    case '!=': {
      const eq = valuesEqual(l, r);
      if (eq === undefined) return unknownFrom(firstUnknown(l) ? l : r, 'comparison of values that are not known', at);
      return bool(op === '==' ? eq : !eq, at);
    }
    default: {
      const a = asNumber(l);
      const b = asNumber(r);
      if (a === undefined || b === undefined) return unknownFrom(a === undefined ? l : r, `arithmetic on a value that is not a known number`, at);
      switch (op) {
        case '+':
          return num(a + b, at);
        case '-':
          return num(a - b, at);
        case '*':
          return num(a * b, at);
        case '/':
          return b === 0 ? unknown('division by zero', at) : num(a / b, at);
        case '%':
          return b === 0 ? unknown('modulo by zero', at) : num(a % b, at);
        case '<':
          return bool(a < b, at);
        case '>':
          return bool(a > b, at);
        case '<=':
          return bool(a <= b, at);
        case '>=':
          return bool(a >= b, at);
      }
      return unknown(`operator ${op}`, at);
    }
  }
}

/** Structural equality of known values; undefined when either side is not fully known. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'ref' && b.kind === 'ref') {
    if (a.target === b.target && a.attr.join('.') === b.attr.join('.')) return true;
    return undefined;
  }
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'ref' || b.kind === 'ref' || a.kind === 'concat' || b.kind === 'concat' || a.kind === 'import' || b.kind === 'import') {
    return undefined;
  }
  if (a.kind === 'null' || b.kind === 'null') return a.kind === b.kind;
  if (a.kind === 'list' && b.kind === 'list') {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = valuesEqual(a.items[i], b.items[i]);
      if (e !== true) return e;
    }
    return true;
  }
  if (a.kind === 'object' && b.kind === 'object') {
    const ka = Object.keys(a.entries);
    const kb = Object.keys(b.entries);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!(k in b.entries)) return false;
      const e = valuesEqual(a.entries[k], b.entries[k]);
      if (e !== true) return e;
    }
    return true;
  }
  if (a.kind === 'list' || a.kind === 'object' || b.kind === 'list' || b.kind === 'object') return false;
  // Terraform compares primitives of different types as unequal ("1" != 1).
  if (a.kind !== b.kind) return false;
  return a.value === (b as typeof a).value;
}

