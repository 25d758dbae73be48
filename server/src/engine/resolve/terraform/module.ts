import type { Attribute, Block, Body, Expr, HclFile } from '../../parse/terraform/ast';
import type { Location, Span } from '../../model/span';
import type { Resource } from '../../model/resource';
import { annotationsFor } from '../../model/annotations';
import { basename, dirname, join } from '../../model/paths';
import { type Value, asNumber, asString, list, num, obj, ref, str, unknown, firstUnknown } from '../../model/value';
import { Env, evaluate, iterate, lazyObject, type EvalContext } from './evaluate';
import { modelRegistryModule, registryModuleKind } from './registryModules';

/** A parsed Terraform file as the workspace hands it over. */
export interface TfSourceFile {
  file: string;
  text: string;
  hcl: HclFile;
  /** `config` for `.tf`/`.tf.json`, `vars` for `.tfvars`/`.tfvars.json`. */
  role: 'config' | 'vars';
}

interface Decl<T> {
  node: T;
  file: TfSourceFile;
}

/** Everything declared in one directory: a Terraform module. */
export interface ModuleDir {
  dir: string;
  files: TfSourceFile[];
  variables: Map<string, Decl<Block>>;
  locals: Map<string, Decl<Attribute>>;
  resources: Map<string, Decl<Block>>;
  data: Map<string, Decl<Block>>;
  modules: Map<string, Decl<Block>>;
  outputs: Map<string, Decl<Block>>;
  /** Values from `terraform.tfvars` and `*.auto.tfvars` (used when the directory is a root module). */
  tfvars: Map<string, Decl<Attribute>>;
  /** Directories this module calls with a local `source`. */
  calls: Set<string>;
}

export interface TerraformModel {
  resources: Resource[];
  roots: string[];
  dirs: Map<string, ModuleDir>;
}

const META_ARGS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
const MAX_MODULE_DEPTH = 12;

function isAutoVars(file: string): boolean {
  const b = basename(file);
  return b === 'terraform.tfvars' || b === 'terraform.tfvars.json' || b.endsWith('.auto.tfvars') || b.endsWith('.auto.tfvars.json');
}

function blockLabel(b: Block, i: number): string | undefined {
  return b.labels[i]?.value;
}

/** Groups files by directory and indexes their top-level declarations. */
export function indexModuleDirs(files: TfSourceFile[]): Map<string, ModuleDir> {
  const dirs = new Map<string, ModuleDir>();
  const get = (dir: string): ModuleDir => {
    let d = dirs.get(dir);
    if (!d) {
      d = {
        dir,
        files: [],
        variables: new Map(),
        locals: new Map(),
        resources: new Map(),
        data: new Map(),
        modules: new Map(),
        outputs: new Map(),
        tfvars: new Map(),
        calls: new Set(),
      };
      dirs.set(dir, d);
    }
    return d;
  };
  for (const f of files) {
    const d = get(dirname(f.file));
    d.files.push(f);
    if (f.role === 'vars') {
      if (!isAutoVars(f.file)) continue;
      for (const item of f.hcl.body.items) if (item.kind === 'attribute') d.tfvars.set(item.name, { node: item, file: f });
      continue;
    }
    for (const item of f.hcl.body.items) {
      if (item.kind !== 'block') continue;
      const l0 = blockLabel(item, 0);
      const l1 = blockLabel(item, 1);
      switch (item.type) {
        case 'variable':
          if (l0) d.variables.set(l0, { node: item, file: f });
          break;
        case 'locals':
          for (const a of item.body.items) if (a.kind === 'attribute') d.locals.set(a.name, { node: a, file: f });
          break;
        case 'resource':
          if (l0 && l1) d.resources.set(`${l0}.${l1}`, { node: item, file: f });
          break;
        case 'data':
          if (l0 && l1) d.data.set(`${l0}.${l1}`, { node: item, file: f });
          break;
        case 'module':
          if (l0) d.modules.set(l0, { node: item, file: f });
          break;
        case 'output':
          if (l0) d.outputs.set(l0, { node: item, file: f });
          break;
      }
    }
  }
  for (const d of dirs.values()) {
    for (const m of d.modules.values()) {
      const src = localSource(m.node);
      if (src) d.calls.add(join(d.dir, src));
    }
  }
  return dirs;
}

function attr(body: Body, name: string): Attribute | undefined {
  for (const i of body.items) if (i.kind === 'attribute' && i.name === name) return i;
  return undefined;
}

function literalString(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'literal' && typeof e.value === 'string') return e.value;
  return undefined;
}

function localSource(b: Block): string | undefined {
  const s = literalString(attr(b.body, 'source')?.expr);
  if (s && (s.startsWith('./') || s.startsWith('../'))) return s;
  return undefined;
}

/** The provider a `provider = ...` argument names: `aws.account2` from a traversal or the legacy string. */
function providerName(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'literal' && typeof e.value === 'string') return e.value;
  if (e.kind === 'template' && e.parts.length === 1) return providerName(e.parts[0]);
  if (e.kind === 'variable') return e.name;
  if (e.kind === 'getattr' && e.object.kind === 'variable') return `${e.object.name}.${e.name}`;
  return undefined;
}

/**
 * Reads every module directory, instantiates each root module (a directory no other directory calls with a
 * local `source`), and the modules they call, and returns all resource instances with evaluated attributes.
 */
export function resolveTerraform(files: TfSourceFile[]): TerraformModel {
  const dirs = indexModuleDirs(files);
  const called = new Set<string>();
  for (const d of dirs.values()) for (const c of d.calls) if (c !== d.dir) called.add(c);
  const roots = [...dirs.keys()].filter((d) => !called.has(d) && hasConfig(dirs.get(d)!)).sort();
  const resources: Resource[] = [];
  for (const root of roots) resources.push(...resolveRoot(dirs, root));
  return { resources, roots, dirs };
}

/**
 * The resource instances of one root module and the modules it calls. What it reads is `root` and the
 * directories reachable from it through `calls` ({@link moduleClosure}); `dirs` may hold just those, which
 * is what lets the analyzer cache a root's resources and redo only the roots whose files changed.
 */
export function resolveRoot(dirs: ReadonlyMap<string, ModuleDir>, root: string): Resource[] {
  const out: Resource[] = [];
  const mod = dirs.get(root);
  if (mod) new ModuleInstance(dirs, mod, root, '', new Map(), new Map(), 0).collect(out);
  return out;
}

/**
 * Every directory an instance of `root` can read: the root and what its local module calls reach,
 * transitively (a superset of what `MAX_MODULE_DEPTH` lets it instantiate). `callsOf` gives a directory's
 * calls, or undefined when the directory is not in the workspace (a call to it then resolves to unknown).
 */
export function moduleClosure(root: string, callsOf: (dir: string) => Iterable<string> | undefined): string[] {
  const seen = new Set<string>([root]);
  const todo = [root];
  while (todo.length > 0) {
    const calls = callsOf(todo.pop()!);
    if (!calls) continue;
    for (const c of calls) {
      if (seen.has(c) || callsOf(c) === undefined) continue;
      seen.add(c);
      todo.push(c);
    }
  }
  return [...seen];
}

/**
 * The module blocks of one configuration file, in order: name and local `source` (undefined for a registry
 * or other remote source). A directory's `calls` are the local sources of the last block of each name,
 * exactly as {@link indexModuleDirs} derives them, so this is all the analyzer needs to know which
 * directories are roots without keeping every file's tree.
 */
export function moduleSources(hcl: HclFile): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  for (const item of hcl.body.items) {
    if (item.kind !== 'block' || item.type !== 'module') continue;
    const name = blockLabel(item, 0);
    if (name) out.push([name, localSource(item)]);
  }
  return out;
}

function hasConfig(d: ModuleDir): boolean {
  return d.files.some((f) => f.role === 'config');
}

type Thunk = () => Value;

function memo(fn: Thunk): Thunk {
  let state: 0 | 1 | 2 = 0;
  let v: Value | undefined;
  return () => {
    if (state === 2) return v!;
    if (state === 1) return unknown('refers to itself (a reference cycle)');
    state = 1;
    v = fn();
    state = 2;
    return v;
  };
}

interface Instance {
  /** `[0]`, `["a"]` or empty. */
  suffix: string;
  env: Env | undefined;
}

/** One instance of a module directory: the root, or `module.x` / `module.x["k"]` under its caller. */
class ModuleInstance {
  private readonly vars = new Map<string, Thunk>();
  private readonly locals = new Map<string, Thunk>();
  private readonly resourceValues = new Map<string, Thunk>();
  private readonly dataValues = new Map<string, Thunk>();
  private readonly moduleValues = new Map<string, Thunk>();
  private readonly children = new Map<string, { instances: { inst?: ModuleInstance; synthetic?: Resource[]; key: string }[] }>();

  constructor(
    private readonly dirs: ReadonlyMap<string, ModuleDir>,
    readonly mod: ModuleDir,
    readonly rootDir: string,
    /** `module.a.module.b["x"]` (empty for the root). */
    readonly path: string,
    /** Input values given by the caller (lazy, evaluated in the caller's scope). */
    private readonly inputs: Map<string, Thunk>,
    /** Local provider names (`aws`, `aws.east`) to the root's provider configurations. */
    private readonly providers: Map<string, string>,
    private readonly depth: number,
  ) {}

  private prefix(): string {
    return this.path ? `${this.path}.` : '';
  }

  resourceKey(address: string): string {
    return `tf:${this.rootDir}:${this.prefix()}${address}`;
  }

  private ctx(file: TfSourceFile): EvalContext {
    return { file: file.file, root: (name, at) => this.root(name, at) };
  }

  eval(expr: Expr, file: TfSourceFile, env?: Env): Value {
    return evaluate(expr, this.ctx(file), env);
  }

  private root(name: string, at: Location): Value {
    switch (name) {
      case 'var':
        return lazyObject((n) => this.variable(n, at));
      case 'local':
        return lazyObject((n) => this.local(n, at));
      case 'module':
        return lazyObject((n) => this.moduleValue(n, at));
      case 'data':
        return lazyObject((type) => lazyObject((n) => this.dataValue(type, n, at)));
      case 'path':
        return obj({ module: str(this.mod.dir), root: str(this.rootDir), cwd: str(this.rootDir) });
      case 'terraform':
        return obj({ workspace: str('default') });
      case 'count':
      case 'each':
        return unknown(`${name} is used outside a resource or module with ${name === 'each' ? 'for_each' : 'count'}`, at);
      case 'self':
        return unknown('self is only known in provisioners', at);
      default:
        return lazyObject((n) => this.resourceValue(name, n, at));
    }
  }

  private variable(name: string, at: Location): Value {
    let t = this.vars.get(name);
    if (!t) {
      t = memo(() => {
        const input = this.inputs.get(name);
        if (input) return input();
        const decl = this.mod.variables.get(name);
        if (!decl) return unknown(`no variable "${name}" is declared in ${this.mod.dir}`, at);
        if (!this.path) {
          const tv = this.mod.tfvars.get(name);
          if (tv) return this.eval(tv.node.expr, tv.file);
        }
        const def = attr(decl.node.body, 'default');
        if (def) return this.eval(def.expr, decl.file);
        return unknown(
          this.path
            ? `variable "${name}" of ${this.path} has no default and the caller does not set it`
            : `variable "${name}" has no default and no value in terraform.tfvars`,
          { file: decl.file.file, span: decl.node.span },
        );
      });
      this.vars.set(name, t);
    }
    return t();
  }

  private local(name: string, at: Location): Value {
    let t = this.locals.get(name);
    if (!t) {
      t = memo(() => {
        const decl = this.mod.locals.get(name);
        if (!decl) return unknown(`no local "${name}" in ${this.mod.dir}`, at);
        return this.eval(decl.node.expr, decl.file);
      });
      this.locals.set(name, t);
    }
    return t();
  }

  /** The instances `count`/`for_each` create, or undefined (with the reason) when they cannot be known. */
  private instances(body: Body, file: TfSourceFile, env?: Env): Instance[] | Value {
    const count = attr(body, 'count');
    const forEach = attr(body, 'for_each');
    if (count) {
      const v = this.eval(count.expr, file, env);
      const n = asNumber(v);
      if (n === undefined) return firstUnknown(v) ? unknown(`count is not known statically: ${reasonOf(v)}`, v.origin) : unknown('count is not a number', v.origin);
      const out: Instance[] = [];
      for (let i = 0; i < Math.min(n, 1000); i++) out.push({ suffix: `[${i}]`, env: Env.of({ count: obj({ index: num(i) }) }, env) });
      return out;
    }
    if (forEach) {
      const v = this.eval(forEach.expr, file, env);
      const entries = forEachEntries(v);
      if (!entries) return unknown(`for_each is not known statically: ${reasonOf(v)}`, v.origin);
      return entries.map(([k, val]) => ({
        suffix: `[${JSON.stringify(k)}]`,
        env: Env.of({ each: obj({ key: str(k), value: val }) }, env),
      }));
    }
    return [{ suffix: '', env }];
  }

  private resourceValue(type: string, name: string, at: Location): Value {
    const id = `${type}.${name}`;
    let t = this.resourceValues.get(id);
    if (!t) {
      t = memo(() => {
        const decl = this.mod.resources.get(id);
        if (!decl) return unknown(`no resource ${id} in ${this.mod.dir}`, at);
        return this.instanceCollection(decl, id, 'managed');
      });
      this.resourceValues.set(id, t);
    }
    return t();
  }

  private dataValue(type: string, name: string, at: Location): Value {
    const id = `${type}.${name}`;
    let t = this.dataValues.get(id);
    if (!t) {
      t = memo(() => {
        const decl = this.mod.data.get(id);
        if (!decl) return unknown(`no data source data.${id} in ${this.mod.dir}`, at);
        return this.instanceCollection(decl, `data.${id}`, 'data');
      });
      this.dataValues.set(id, t);
    }
    return t();
  }

  /** The value a reference to a resource block gives: one object, a list (count) or a map (for_each). */
  private instanceCollection(decl: Decl<Block>, address: string, mode: 'managed' | 'data'): Value {
    const body = decl.node.body;
    const insts = this.instances(body, decl.file);
    const make = (inst: Instance) => this.instanceObject(decl, address + inst.suffix, inst.env, mode);
    if (!Array.isArray(insts)) {
      // for_each over something unknown: keep references to a particular key working (`x["a"].id`).
      if (attr(body, 'for_each')) {
        return lazyObject((k) => make({ suffix: `[${JSON.stringify(k)}]`, env: Env.of({ each: obj({ key: str(k), value: unknown(`each.value of ${address}: ${reasonOf(insts)}`) }) }) }));
      }
      return insts;
    }
    if (attr(body, 'count')) return list(insts.map(make));
    if (attr(body, 'for_each')) {
      const entries: Record<string, Value> = Object.create(null);
      for (const inst of insts) entries[JSON.parse(inst.suffix.slice(1, -1))] = make(inst);
      return obj(entries);
    }
    return make(insts[0]);
  }

  private instanceObject(decl: Decl<Block>, address: string, env: Env | undefined, mode: 'managed' | 'data'): Value {
    const key = this.resourceKey(address);
    const body = decl.node.body;
    const cache = new Map<string, Value>();
    return lazyObject((name) => {
      const hit = cache.get(name);
      if (hit) return hit;
      let v: Value | undefined;
      const a = attr(body, name);
      if (a && !META_ARGS.has(name)) {
        v = this.eval(a.expr, decl.file, env);
        // A configured value that is only known after apply (`"192.168.${random_integer.x.result}.0/24"`)
        // is, seen from elsewhere, that resource's attribute: keep it symbolic so a rule written with
        // `aws_vpc.x.cidr_block` can still be matched to the VPC it names.
        if (mode === 'managed' && (v.kind === 'unknown' || v.kind === 'concat')) v = ref(key, [name], v.origin);
      } else if (body.items.some((i) => i.kind === 'block' && (i.type === name || (i.type === 'dynamic' && i.labels[0]?.value === name)))) {
        v = this.evalBody(body, decl.file, env)[name];
      } else if (mode === 'data') {
        v = unknown(`${this.prefix()}${address}.${name} is read from AWS at plan time`, { file: decl.file.file, span: decl.node.span });
      } else {
        v = ref(key, [name]);
      }
      v ??= ref(key, [name]);
      cache.set(name, v);
      return v;
    });
  }

  /** Evaluates a body: attributes to values, nested blocks to lists of objects, `dynamic` blocks expanded. */
  evalBody(body: Body, file: TfSourceFile, env?: Env, skipMeta = true): Record<string, Value> {
    const out: Record<string, Value> = Object.create(null);
    for (const item of body.items) {
      if (item.kind === 'attribute') {
        if (skipMeta && META_ARGS.has(item.name)) continue;
        out[item.name] = this.eval(item.expr, file, env);
        continue;
      }
      if (skipMeta && META_ARGS.has(item.type)) continue;
      const origin: Location = { file: file.file, span: item.span };
      if (item.type === 'dynamic') {
        const name = item.labels[0]?.value;
        if (!name) continue;
        const content = item.body.items.find((i): i is Block => i.kind === 'block' && i.type === 'content');
        const fe = attr(item.body, 'for_each');
        const iterName = literalString(attr(item.body, 'iterator')?.expr) ?? iteratorName(attr(item.body, 'iterator')?.expr) ?? name;
        const existing = out[name]?.kind === 'list' ? (out[name] as { items: Value[] }).items : [];
        if (!content || !fe) continue;
        const coll = this.eval(fe.expr, file, env);
        const entries = iterate(coll);
        if (!entries) {
          out[name] = list([...existing, unknown(`dynamic "${name}" for_each is not known statically: ${reasonOf(coll)}`, origin)], origin);
          continue;
        }
        const items = entries.map(([k, v]) => obj(this.evalBody(content.body, file, Env.of({ [iterName]: obj({ key: k, value: v }) }, env), false), { file: file.file, span: content.span }));
        out[name] = list([...existing, ...items], origin);
        continue;
      }
      const v = obj(this.evalBody(item.body, file, env, false), origin);
      const prev = out[item.type];
      out[item.type] = list(prev && prev.kind === 'list' ? [...prev.items, v] : [v], prev?.origin ?? origin);
    }
    return out;
  }

  private childKey(name: string): string {
    return `${this.prefix()}module.${name}`;
  }

  private moduleValue(name: string, at: Location): Value {
    let t = this.moduleValues.get(name);
    if (!t) {
      t = memo(() => {
        const decl = this.mod.modules.get(name);
        if (!decl) return unknown(`no module "${name}" in ${this.mod.dir}`, at);
        const children = this.moduleChildren(name, decl);
        if ('reason' in children) return children.reason;
        const outputsOf = (c: { inst?: ModuleInstance; synthetic?: Resource[]; key: string }) =>
          c.inst
            ? c.inst.outputsObject()
            : lazyObject((out) => syntheticOutput(c.synthetic ?? [], out) ?? unknown(`output "${out}" of ${c.key}: registry module outputs are modelled only for their resources`, at));
        const body = decl.node.body;
        if (attr(body, 'count')) return list(children.instances.map(outputsOf));
        if (attr(body, 'for_each')) {
          const entries: Record<string, Value> = Object.create(null);
          for (const c of children.instances) entries[c.key.slice(c.key.lastIndexOf('[') + 2, -2)] = outputsOf(c);
          return obj(entries);
        }
        return outputsOf(children.instances[0]);
      });
      this.moduleValues.set(name, t);
    }
    return t();
  }

  outputsObject(): Value {
    const cache = new Map<string, Value>();
    return lazyObject((out) => {
      const hit = cache.get(out);
      if (hit) return hit;
      const decl = this.mod.outputs.get(out);
      let v: Value;
      if (!decl) v = unknown(`module ${this.path} has no output "${out}"`);
      else {
        const va = attr(decl.node.body, 'value');
        v = va ? this.eval(va.expr, decl.file) : unknown(`output "${out}" has no value`);
      }
      cache.set(out, v);
      return v;
    });
  }

  /** Instantiates (once) the module call `name`: local directories for real, known registry modules by model. */
  private moduleChildren(
    name: string,
    decl: Decl<Block>,
  ): { instances: { inst?: ModuleInstance; synthetic?: Resource[]; key: string }[] } | { reason: Value } {
    const cached = this.children.get(name);
    if (cached) return cached;
    const body = decl.node.body;
    const at: Location = { file: decl.file.file, span: decl.node.span };
    const source = literalString(attr(body, 'source')?.expr);
    if (!source) return { reason: unknown(`module "${name}" has no literal source`, at) };
    const insts = this.instances(body, decl.file);
    if (!Array.isArray(insts)) return { reason: unknown(`module "${name}": ${reasonOf(insts)}`, at) };
    const local = localSource(decl.node);
    const registry = registryModuleKind(source);
    if (!local && !registry) return { reason: unknown(`module "${name}" comes from "${source}", which is not in the workspace`, at) };
    const childDir = local ? this.dirs.get(join(this.mod.dir, local)) : undefined;
    if (local && !childDir) return { reason: unknown(`module "${name}": directory ${local} is not in the workspace`, at) };
    if (this.depth >= MAX_MODULE_DEPTH) return { reason: unknown(`module "${name}": modules nested more than ${MAX_MODULE_DEPTH} deep`, at) };
    const providers = this.childProviders(body, decl.file);
    const out: { inst?: ModuleInstance; synthetic?: Resource[]; key: string }[] = [];
    for (const inst of insts) {
      const key = `${this.childKey(name)}${inst.suffix}`;
      const inputs = new Map<string, Thunk>();
      for (const item of body.items) {
        if (item.kind !== 'attribute' || MODULE_META.has(item.name)) continue;
        inputs.set(item.name, memo(() => this.eval(item.expr, decl.file, inst.env)));
      }
      if (childDir) {
        out.push({ inst: new ModuleInstance(this.dirs, childDir, this.rootDir, key, inputs, providers, this.depth + 1), key });
      } else {
        const provider = providers.get('aws') ?? 'aws';
        out.push({
          synthetic: modelRegistryModule(registry!, {
            inputs,
            keyFor: (address) => `tf:${this.rootDir}:${key}.${address}`,
            addressFor: (address) => `${key}.${address}`,
            file: decl.file.file,
            span: decl.node.span,
            nameSpan: decl.node.labels[0]?.span ?? decl.node.typeSpan,
            attrSpans: attrSpansOf(body),
            provider,
            root: this.rootDir,
            modulePath: key,
            annotations: annotationsFor(decl.file.text, decl.file.hcl.comments, decl.node.span),
          }),
          key,
        });
      }
    }
    const result = { instances: out };
    this.children.set(name, result);
    return result;
  }

  /** A module call's `providers = { aws = aws.east }`, mapped to the root's provider names. */
  private childProviders(body: Body, _file: TfSourceFile): Map<string, string> {
    const m = new Map<string, string>();
    // Terraform passes the default (unaliased) provider configurations down implicitly.
    m.set('aws', this.provider('aws'));
    const p = attr(body, 'providers');
    if (p && p.expr.kind === 'object') {
      for (const item of p.expr.items) {
        const k = item.key.kind === 'variable' ? item.key.name : providerName(item.key);
        const v = providerName(item.value);
        if (k && v) m.set(k, this.provider(v));
      }
    }
    return m;
  }

  provider(local: string): string {
    return this.providers.get(local) ?? local;
  }

  /** Adds every resource instance of this module (and the modules it calls) to `out`. */
  collect(out: Resource[]): void {
    for (const [id, decl] of this.mod.resources) this.collectDecl(id, decl, 'managed', out);
    for (const [id, decl] of this.mod.data) this.collectDecl(`data.${id}`, decl, 'data', out);
    for (const [name, decl] of this.mod.modules) {
      const children = this.moduleChildren(name, decl);
      if ('reason' in children) continue;
      for (const c of children.instances) {
        if (c.inst) c.inst.collect(out);
        else if (c.synthetic) out.push(...c.synthetic);
      }
    }
  }

  private collectDecl(address: string, decl: Decl<Block>, mode: 'managed' | 'data', out: Resource[]): void {
    const block = decl.node;
    const type = block.labels[0]?.value ?? '';
    const insts = this.instances(block.body, decl.file);
    const annotations = annotationsFor(decl.file.text, decl.file.hcl.comments, block.span);
    const provider = this.provider(providerName(attr(block.body, 'provider')?.expr) ?? type.split('_')[0] ?? 'aws');
    const nameSpan: Span = block.labels.length > 0 ? { start: block.labels[0].span.start, end: block.labels[block.labels.length - 1].span.end } : block.typeSpan;
    const attrSpans = attrSpansOf(block.body);
    // Written out property by property rather than as `{ ...base, key, address, attrs }`: on Node 20 a
    // spread followed by more properties costs microseconds per object (V8 cannot reuse the clone's map),
    // which across a workspace's resource instances was a large share of the whole analysis. Same
    // properties, same order.
    const make = (key: string, addr: string, attrs: Record<string, Value>): Resource => ({
      lang: 'terraform',
      type,
      mode,
      file: decl.file.file,
      span: block.span,
      nameSpan,
      attrSpans,
      provider,
      modulePath: this.path,
      root: this.rootDir,
      annotations,
      key,
      address: addr,
      attrs,
    });
    if (!Array.isArray(insts)) {
      // The instances cannot be known; keep one representative so the graph can say "unknown" about it.
      const attrs = this.evalBody(block.body, decl.file, Env.of({ count: obj({ index: unknown(reasonOf(insts)) }), each: obj({ key: unknown(reasonOf(insts)), value: unknown(reasonOf(insts)) }) }));
      attrs['__instances'] = insts;
      out.push(make(this.resourceKey(`${address}[*]`), `${this.prefix()}${address}[*]`, attrs));
      return;
    }
    for (const inst of insts) {
      out.push(make(this.resourceKey(address + inst.suffix), `${this.prefix()}${address}${inst.suffix}`, this.evalBody(block.body, decl.file, inst.env)));
    }
  }
}

function iteratorName(e: Expr | undefined): string | undefined {
  return e && e.kind === 'variable' ? e.name : undefined;
}

function attrSpansOf(body: Body): Record<string, Span> {
  const spans: Record<string, Span> = Object.create(null);
  for (const i of body.items) {
    if (i.kind === 'attribute') spans[i.name] = i.span;
    else if (!(i.type in spans)) spans[i.type] = i.span;
  }
  return spans;
}

function syntheticOutput(resources: Resource[], out: string): Value | undefined {
  // The registry models expose the ids of what they create under the names the real modules use.
  const first = (type: string) => resources.find((r) => r.type === type);
  switch (out) {
    case 'security_group_id':
    case 'security_group_arn': {
      const sg = first('aws_security_group');
      return sg ? ref(sg.key, [out === 'security_group_id' ? 'id' : 'arn']) : undefined;
    }
    case 'arn':
    case 'id':
    case 'lb_arn':
    case 'lb_id': {
      const lb = first('aws_lb');
      return lb ? ref(lb.key, [out.endsWith('id') ? 'id' : 'arn']) : undefined;
    }
    case 'endpoints': {
      const eps = resources.filter((r) => r.type === 'aws_vpc_endpoint');
      const entries: Record<string, Value> = Object.create(null);
      for (const e of eps) {
        const m = /\["(.*)"\]$/.exec(e.address);
        if (m) entries[m[1]] = obj({ id: ref(e.key, ['id']), arn: ref(e.key, ['arn']) });
      }
      return obj(entries);
    }
  }
  return undefined;
}

function forEachEntries(v: Value): [string, Value][] | undefined {
  if (v.kind === 'object') {
    const it = iterate(v);
    if (!it) return undefined;
    const out: [string, Value][] = [];
    for (const [k, val] of it) out.push([asString(k)!, val]);
    return out;
  }
  if (v.kind === 'list') {
    // A set of strings: each.key and each.value are both the string.
    const out: [string, Value][] = [];
    for (const item of v.items) {
      const s = asString(item);
      if (s === undefined) return undefined;
      out.push([s, item]);
    }
    return out;
  }
  if (v.kind === 'null') return [];
  return undefined;
}

export function reasonOf(v: Value): string {
  if (v.kind === 'unknown') return v.reason;
  const u = firstUnknown(v);
  if (u?.kind === 'unknown') return u.reason;
  if (u?.kind === 'import') return `imported value "${u.name}"`;
  if (v.kind === 'ref') return `${v.attr.join('.')} of ${v.target.split(':').pop()} is known only after apply`;
  return 'not known statically';
}
