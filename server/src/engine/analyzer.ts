import type { Finding, PrivateLinkPath, Severity } from './model/finding';
import type { Resource } from './model/resource';
import type { Location, Span } from './model/span';
import type { Value } from './model/value';
import type { Settings } from './settings';
import type { HclFile } from './parse/terraform/ast';
import { dirname, join } from './model/paths';
import { parseHcl } from './parse/terraform';
import { parseTfJson } from './parse/terraform/tfjson';
import { readCloudFormation, resolveImports, type CfnReadResult } from './resolve/cloudformation';
import { indexModuleDirs, moduleClosure, moduleSources, resolveRoot, type ModuleDir, type TfSourceFile } from './resolve/terraform/module';
import { buildGraph } from './graph/build';
import { describeRule, type SecurityGroup } from './graph/securityGroups';
import { evaluatePaths } from './graph/paths';
import { runRules } from './rules';
import { componentsOf, linkSummary, type LinkSummary } from './components';

export interface AnalysisStats {
  files: number;
  parseMs: number;
  analyzeMs: number;
}

/** Resources by file and by key, answered from per-root indexes (an edit does not re-index the workspace). */
export interface ResourceLookup {
  /** Every resource instance declared in the file, from every root module that uses it. */
  resourcesOf(file: string): readonly Resource[];
  resource(key: string): Resource | undefined;
}

export interface AnalysisResult {
  /** Findings of every file, parse errors (`ruleId: "parse-error"`) included. */
  findings: Finding[];
  paths: PrivateLinkPath[];
  resources: Resource[];
  stats: AnalysisStats;
  /** Every security group with its effective rules, whatever syntax declared them (for hovers and reports). */
  securityGroups: SecurityGroupSummary[];
  /** The same resources, indexed; prefer it over scanning `resources`. */
  lookup: ResourceLookup;
}

export interface SecurityGroupSummary {
  /** The SG resource's key, or `default-sg:<vpc key>` for a VPC's implicit default group. */
  key: string;
  label: string;
  ingress: RuleSummary[];
  egress: RuleSummary[];
  /** Why the rule set may be incomplete. */
  incomplete: string[];
}

export interface RuleSummary {
  /** `TCP 443 from aws_security_group.client`. */
  text: string;
  /** The resource that declares the rule: the group itself (inline), or a rule resource. */
  declaredBy: string;
  location: Location;
}

/** Where the last `analyze()` spent its time and how much it could reuse (for the benchmark and logs). */
export interface AnalysisTimings {
  /** Resource instances in the workspace. */
  resources: number;
  /** Terraform root modules resolved again / in the workspace. */
  rootsResolved: number;
  roots: number;
  /** Groups of roots and templates whose graph, paths and rules were evaluated again / in the workspace. */
  componentsEvaluated: number;
  components: number;
  /** Resources in the components evaluated again. */
  evaluatedResources: number;
  resolveMs: number;
  cloudFormationMs: number;
  graphMs: number;
  finalizeMs: number;
}

export interface AnalyzerOptions {
  /**
   * Evaluate the graph, paths and rules per group of related root modules and templates (see
   * components.ts) and reuse the groups nothing changed in. On by default; off evaluates the whole
   * workspace as one graph, which the equivalence tests compare against.
   */
  partition?: boolean;
  /**
   * How much source text (in characters) may have its syntax trees kept: between `setFile` and the analysis
   * that resolves the file, and, for modules and edited directories, between analyses. Default 8 MB each; a
   * larger workspace parses some files again rather than holding every tree (about 13 bytes per character).
   */
  treeCacheBytes?: number;
}

type Kind = 'tf' | 'tfjson' | 'tfvars' | 'tfvarsjson' | 'cfn-yaml' | 'cfn-json' | 'other';

/**
 * What one file contributes before anything is related across files, computed once per text. It holds no
 * syntax tree and nothing but plain data, so a worker thread can compute it and post it to the thread
 * that owns the Analyzer (see {@link parseFile} and {@link Analyzer.setParsed}).
 */
export interface ParsedFile {
  kind: Kind;
  /** `tf` for Terraform (and for a file whose reader failed), `cfn` for YAML/JSON, `none` for others. */
  lang: 'tf' | 'cfn' | 'none';
  /** Terraform: syntax errors (CloudFormation's are in `cfn`). */
  errors: { message: string; span: Span }[];
  /** Terraform configuration files: module blocks in order, with their local source (see moduleSources). */
  modules?: [string, string | undefined][];
  cfn?: CfnReadResult;
  /** The reader threw (it never should): the file is analysed as empty Terraform with this error. */
  internalError?: boolean;
  parseMs: number;
}

interface FileEntry {
  text: string;
  parsed: ParsedFile;
  /** Changes whenever the text does; a cached tree or result is valid for one version. */
  version: number;
  file: string;
  /** When the file was added: parse errors are reported in this order. */
  seq: number;
  /** The parse-error findings, made once so unchanged files report identical objects. */
  errors?: FindingSource;
  /** Whether the text has an ignore comment at all (most files have none: no need to look closer). */
  hasIgnoreComment?: boolean;
}

/** The errors a file reports (Terraform always; YAML and JSON only when they are templates). */
function errorsOf(p: ParsedFile): ParsedFile['errors'] | undefined {
  return p.lang === 'tf' ? p.errors : p.cfn?.isTemplate ? p.cfn.errors : undefined;
}

/** What kind of file a name is, before its content is looked at. */
export function fileKind(file: string): Kind {
  const f = file.toLowerCase();
  if (f.endsWith('.tf')) return 'tf';
  if (f.endsWith('.tf.json')) return 'tfjson';
  if (f.endsWith('.tfvars')) return 'tfvars';
  if (f.endsWith('.tfvars.json')) return 'tfvarsjson';
  if (f.endsWith('.yaml') || f.endsWith('.yml') || f.endsWith('.template')) return 'cfn-yaml';
  if (f.endsWith('.json')) return 'cfn-json';
  return 'other';
}

/** Whether a path can hold Terraform or CloudFormation worth reading (by name; content decides later). */
export function isCandidateFile(file: string): boolean {
  return fileKind(file) !== 'other';
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function roleOf(kind: Kind): 'config' | 'vars' {
  return kind === 'tfvars' || kind === 'tfvarsjson' ? 'vars' : 'config';
}

function internalErrorTree(text: string, e: unknown): HclFile {
  return { body: { items: [], span: { start: 0, end: text.length } }, errors: [{ message: `internal parser error: ${(e as Error).message}`, span: { start: 0, end: 0 } }], comments: [] };
}

/** The Terraform syntax tree of a file; never throws (a reader that does gives an empty tree and the error). */
function parseTree(kind: Kind, text: string): HclFile {
  try {
    if (kind === 'tfjson') return parseTfJson(text);
    if (kind === 'tfvarsjson') return parseTfJson(text, { tfvars: true });
    return parseHcl(text);
  } catch (e) {
    return internalErrorTree(text, e);
  }
}

/** Parses a file, keeping the Terraform tree for the caller (the Analyzer caches it). */
function parseWithTree(file: string, text: string): { parsed: ParsedFile; tree?: HclFile } {
  const kind = fileKind(file);
  const t0 = now();
  let parsed: ParsedFile;
  let tree: HclFile | undefined;
  try {
    switch (kind) {
      case 'tf':
      case 'tfvars':
      case 'tfjson':
      case 'tfvarsjson':
        tree = parseTree(kind, text);
        parsed = { kind, lang: 'tf', errors: tree.errors, modules: roleOf(kind) === 'config' ? moduleSources(tree) : undefined, parseMs: 0 };
        break;
      case 'cfn-yaml':
        // `.template` files are often JSON.
        parsed = { kind, lang: 'cfn', errors: [], cfn: readCloudFormation(file, text, /^\uFEFF?\s*\{/.test(text)), parseMs: 0 };
        break;
      case 'cfn-json':
        parsed = { kind, lang: 'cfn', errors: [], cfn: readCloudFormation(file, text, true), parseMs: 0 };
        break;
      default:
        parsed = { kind, lang: 'none', errors: [], parseMs: 0 };
    }
  } catch (e) {
    // The readers do not throw; if one ever does, the file still gets a diagnostic instead of a crash.
    tree = internalErrorTree(text, e);
    parsed = { kind, lang: 'tf', errors: tree.errors, internalError: true, parseMs: 0 };
  }
  parsed.parseMs = now() - t0;
  return { parsed, tree };
}

/**
 * Reads one file into what the analysis needs of it. Pure and free of shared state, so the workspace layer
 * may run it in a worker thread and hand the result to {@link Analyzer.setParsed}.
 */
export function parseFile(file: string, text: string): ParsedFile {
  return parseWithTree(file, text).parsed;
}

/** A directory of Terraform files: one module. */
interface TfDir {
  /** Its Terraform files, in the order the analyzer first saw them (the order declarations override in). */
  files: Set<string>;
  /** Changes whenever a file of the directory changes, appears or goes. */
  version: number;
  summary?: { version: number; calls: Set<string>; hasConfig: boolean };
  /** Its module index was built before: it is being edited, so its trees are worth keeping. */
  built?: boolean;
}

/** The root modules and the directories each reads, as of the last change to module calls. */
interface Structure {
  names: string[];
  closures: Map<string, string[]>;
  /** Directory -> the roots that read it. */
  rootsByDir: Map<string, string[]>;
  /** Per directory, what decided the structure (see Analyzer.dirKey). */
  keys: Map<string, string>;
}

/** A directory's module index with the trees it was built from, kept while the cache has room. */
interface DirTrees {
  version: number;
  files: Map<string, { version: number; src: TfSourceFile }>;
  mod: ModuleDir;
  bytes: number;
}

/**
 * A root module or a CloudFormation template with its resolved resources: the unit that is resolved again
 * only when something it reads changes.
 */
interface Unit {
  id: string;
  /** Bumped whenever `resources` is replaced. */
  version: number;
  resources: Resource[];
  links: LinkSummary;
  /** `links` as text, to tell cheaply whether the grouping must be computed again. */
  linksKey: string;
  /** Resources with an ignore comment: all `finalize` needs to apply ignores. */
  ignorers: Resource[];
  byFile?: Map<string, Resource[]>;
  byKey?: Map<string, Resource>;
}

interface RootUnit extends Unit {
  root: string;
  /** The directories (with versions) the resources were resolved from. */
  signature: string;
  dirs: string[];
}

interface CfnUnit extends Unit {
  file: string;
  signature: string;
}

/** Findings as a rule (or the parser) reported them, with what `finalize` made of them last time. */
interface FindingSource {
  findings: Finding[];
  prepared?: { key: string; items: Prepared[] };
}

/** A finding that passed the rule settings and ignore comments: its duplicate key and severity. */
interface Prepared {
  f: Finding;
  key: string;
  sev: Severity;
  /** What is published for it when no duplicate raises its severity. */
  out: Finding;
  /** Orders duplicates (see finalize); made only when there are duplicates. */
  tie?: string;
}

function tieKey(p: Prepared): string {
  p.tie ??= JSON.stringify([p.f.related, p.f.fixes, p.f.unnecessary ?? false]);
  return p.tie;
}

interface ComponentResult extends FindingSource {
  key: string;
  paths: PrivateLinkPath[];
  securityGroups: SecurityGroupSummary[];
}

/**
 * Holds the workspace's files in memory and analyses them. `setFile` reads one file (only when its text
 * changed); `analyze` derives the cross-file model, the graph, the paths and the findings. Files are named
 * by absolute path with forward slashes; the caller does all reading from disk.
 *
 * Analysis is incremental, and gives what a fresh analysis of the same files gives:
 * - a Terraform root module is resolved again only when a file in a directory it reads (its own or a
 *   module's it calls) changed; syntax trees are kept only for a bounded amount of text and parsed again
 *   when needed, so a large workspace does not hold every tree in memory;
 * - the graph, paths and rules are evaluated per group of root modules and templates that can affect
 *   each other (components.ts), and a group none of whose members changed keeps its findings and paths.
 */
export class Analyzer {
  private readonly entries = new Map<string, FileEntry>();
  private clock = 0;
  private seq = 0;
  /** Kept up to date as files come and go, so an analysis need not walk every file. */
  private analysedFiles = 0;
  private parseMsTotal = 0;
  private readonly errorFiles = new Set<FileEntry>();
  private readonly texts = new TextStore();
  private readonly partition: boolean;
  private readonly treeBudget: number;

  private readonly tfDirs = new Map<string, TfDir>();
  /** Trees parsed by `setFile`, waiting for the analysis that resolves their root (bounded FIFO). */
  private readonly freshTrees = new Map<string, { version: number; tree: HclFile; bytes: number }>();
  private freshBytes = 0;
  /** Module indexes of directories, least recently used first (bounded). */
  private readonly dirTrees = new Map<string, DirTrees>();
  private dirTreeBytes = 0;
  /** Directories some other directory calls as a module (as of the last look at the roots). */
  private calledDirs = new Set<string>();
  private rootUnits = new Map<string, RootUnit>();
  private structure: Structure | undefined;
  /** Directories changed since the roots were last looked at. */
  private readonly changedDirs = new Set<string>();
  /** Roots `resolveSettled` has done since the last analysis. */
  private readonly settledRoots = new Set<string>();

  /** Bumped by every change to a CloudFormation file; the templates are related again only then. */
  private cfnGeneration = 0;
  private cfnBuilt = -1;
  private cfnUnits: CfnUnit[] = [];
  private readonly importNames = new WeakMap<CfnReadResult, string[]>();

  private components = new Map<string, ComponentResult>();
  private lastTimings: AnalysisTimings | undefined;
  private grouping: { links: string; units: { id: string; linksKey: string }[]; groups: number[][] } | undefined;

  constructor(options: AnalyzerOptions = {}) {
    this.partition = options.partition ?? true;
    this.treeBudget = options.treeCacheBytes ?? 8 * 1024 * 1024;
  }

  /** Returns false when the text is the same as before (nothing was re-read). */
  setFile(file: string, text: string): boolean {
    const prev = this.entries.get(file);
    if (prev && prev.text === text) return false;
    const { parsed, tree } = parseWithTree(file, text);
    this.store(file, text, parsed, prev);
    if (tree && !parsed.internalError) this.stashTree(file, this.entries.get(file)!.version, tree, text.length);
    return true;
  }

  /**
   * `setFile` with the file already read by {@link parseFile}, typically in a worker thread. The result
   * must be `parseFile(file, text)`; false when the text is the same as before.
   */
  setParsed(file: string, text: string, parsed: ParsedFile): boolean {
    const prev = this.entries.get(file);
    if (prev && prev.text === text) return false;
    this.store(file, text, parsed, prev);
    return true;
  }

  private store(file: string, text: string, parsed: ParsedFile, prev: FileEntry | undefined): void {
    const version = ++this.clock;
    if (prev) this.count(prev, -1);
    const entry: FileEntry = { file, text, parsed, version, seq: prev?.seq ?? ++this.seq };
    this.entries.set(file, entry);
    this.count(entry, 1);
    this.texts.set(file, text);
    this.dropTree(file);
    this.touch(file, prev?.parsed.lang, parsed.lang);
  }

  removeFile(file: string): void {
    const prev = this.entries.get(file);
    if (!prev) return;
    this.entries.delete(file);
    this.count(prev, -1);
    this.texts.delete(file);
    this.dropTree(file);
    this.touch(file, prev.parsed.lang, undefined);
  }

  private count(e: FileEntry, sign: 1 | -1): void {
    this.parseMsTotal += sign * e.parsed.parseMs;
    const errors = errorsOf(e.parsed);
    if (!errors) return;
    this.analysedFiles += sign;
    if (errors.length === 0) return;
    if (sign > 0) this.errorFiles.add(e);
    else this.errorFiles.delete(e);
  }

  /** Records that a file of these languages changed, so what depends on it is derived again. */
  private touch(file: string, before: ParsedFile['lang'] | undefined, after: ParsedFile['lang'] | undefined): void {
    if (before === 'cfn' || after === 'cfn') this.cfnGeneration++;
    if (before !== 'tf' && after !== 'tf') return;
    const dir = dirname(file);
    let d = this.tfDirs.get(dir);
    if (after === 'tf') {
      if (!d) this.tfDirs.set(dir, (d = { files: new Set(), version: 0 }));
      d.files.add(file);
    } else if (d) {
      d.files.delete(file);
    }
    if (!d) return;
    d.version = ++this.clock;
    this.changedDirs.add(dir);
    if (d.files.size === 0) this.tfDirs.delete(dir);
  }

  hasFile(file: string): boolean {
    return this.entries.has(file);
  }

  files(): string[] {
    return [...this.entries.keys()];
  }

  text(file: string): string | undefined {
    return this.entries.get(file)?.text;
  }

  /**
   * Every file's text as it is now, unaffected by later changes. Taking it costs the number of folders,
   * not of files, so a caller can freeze the texts an analysis saw after every keystroke.
   */
  textsSnapshot(): ReadonlyMap<string, string> {
    return this.texts.snapshot();
  }

  /** Whether the file is Terraform or a CloudFormation template (other YAML/JSON is ignored). */
  isAnalysed(file: string): boolean {
    const e = this.entries.get(file);
    return !!e && (e.parsed.lang === 'tf' || e.parsed.cfn?.isTemplate === true);
  }

  /** Where the last analysis spent its time; undefined before the first. */
  timings(): AnalysisTimings | undefined {
    return this.lastTimings;
  }

  analyze(settings: Settings): AnalysisResult {
    const t1 = now();
    const { roots, resolved } = this.resolveRoots();
    const t2 = now();
    this.resolveTemplates();
    const t3 = now();
    const units: Unit[] = [...roots, ...this.cfnUnits];

    // Graph, paths and rules per component; a component whose members did not change is reused.
    const settingsKey = JSON.stringify(settings);
    const groups = this.partition ? this.groups(units, settings) : [units.map((_, i) => i)];
    const nextComponents = new Map<string, ComponentResult>();
    const parts: FindingSource[] = [];
    // Parse errors first, in the order the files were added.
    for (const e of [...this.errorFiles].sort((a, b) => a.seq - b.seq)) {
      e.errors ??= { findings: errorsOf(e.parsed)!.map((err) => parseError(e.file, err.message, err.span)) };
      parts.push(e.errors);
    }
    const paths: PrivateLinkPath[] = [];
    const securityGroups: SecurityGroupSummary[] = [];
    let evaluated = 0;
    let evaluatedResources = 0;
    for (const group of groups) {
      const members = group.map((i) => units[i]);
      const key = `${settingsKey}\n${members.map((u) => `${u.id}@${u.version}`).join('\n')}`;
      let c = this.components.get(key) ?? nextComponents.get(key);
      if (!c) {
        evaluated++;
        for (const u of members) evaluatedResources += u.resources.length;
        c = this.evaluate(key, members, settings);
      }
      nextComponents.set(key, c);
      parts.push(c);
      for (const p of c.paths) paths.push(p);
      for (const g of c.securityGroups) securityGroups.push(g);
    }
    this.components = nextComponents;
    const t4 = now();

    // The flat list of resources is built when asked for: after an edit in a large workspace, copying every
    // resource into a new array would cost more than the analysis itself, and the language server does
    // not need it (it uses `lookup`).
    let resources: Resource[] | undefined;
    const result: AnalysisResult = {
      findings: this.finalize(parts, units, settings),
      paths,
      get resources(): Resource[] {
        if (!resources) {
          resources = [];
          for (const u of units) for (const r of u.resources) resources.push(r);
        }
        return resources;
      },
      stats: { files: this.analysedFiles, parseMs: Math.round(this.parseMsTotal), analyzeMs: 0 },
      securityGroups,
      lookup: new Lookup(roots, this.cfnUnits),
    };
    const t5 = now();
    result.stats.analyzeMs = Math.round(t5 - t1);
    this.lastTimings = {
      resources: units.reduce((n, u) => n + u.resources.length, 0),
      rootsResolved: resolved,
      roots: roots.length,
      componentsEvaluated: evaluated,
      components: groups.length,
      evaluatedResources,
      resolveMs: round(t2 - t1),
      cloudFormationMs: round(t3 - t2),
      graphMs: round(t4 - t3),
      finalizeMs: round(t5 - t4),
    };
    return result;
  }

  /** The components of the units; the grouping is kept while no unit's links and no link setting changed. */
  private groups(units: Unit[], settings: Settings): number[][] {
    const links = JSON.stringify(settings.links);
    const g = this.grouping;
    if (g && g.links === links && g.units.length === units.length && g.units.every((u, i) => u.id === units[i].id && u.linksKey === units[i].linksKey)) {
      return g.groups;
    }
    const groups = componentsOf(units, settings);
    this.grouping = { links, units: units.map((u) => ({ id: u.id, linksKey: u.linksKey })), groups };
    return groups;
  }

  private evaluate(key: string, members: Unit[], settings: Settings): ComponentResult {
    const resources: Resource[] = [];
    for (const u of members) for (const r of u.resources) resources.push(r);
    const graph = buildGraph(resources, settings);
    const evaluated = evaluatePaths(graph, settings);
    const findings = runRules({ graph, paths: evaluated, settings, textOf: (f) => this.entries.get(f)?.text });
    return { key, findings, paths: evaluated.map((p) => ({ id: p.id, verdict: p.verdict, port: p.port, hops: p.hops })), securityGroups: summarizeGroups(graph.sgs) };
  }

  // ---- Terraform -----------------------------------------------------------------------------------

  private summary(dir: string, d: TfDir): { calls: Set<string>; hasConfig: boolean } {
    if (d.summary?.version === d.version) return d.summary;
    // As indexModuleDirs: the last module block of a name wins, and .tfvars files declare no modules.
    const sources = new Map<string, string | undefined>();
    let hasConfig = false;
    for (const f of d.files) {
      const p = this.entries.get(f)!.parsed;
      if (roleOf(p.kind) !== 'config') continue;
      hasConfig = true;
      for (const [name, src] of p.modules ?? []) sources.set(name, src);
    }
    const calls = new Set<string>();
    for (const src of sources.values()) if (src) calls.add(join(dir, src));
    d.summary = { version: d.version, calls, hasConfig };
    return d.summary;
  }

  /**
   * The root modules (directories no other directory calls), each resolved again only if it must be. Which
   * directories are roots, and what each one reads, is kept while no directory appears, goes, or changes
   * its module calls; then only the roots that read a changed directory are looked at.
   */
  private resolveRoots(): { roots: RootUnit[]; resolved: number } {
    this.settledRoots.clear();
    const { structure, all } = this.currentStructure();
    const recheck = new Set<string>();
    if (!all) for (const dir of this.changedDirs) for (const root of structure.rootsByDir.get(dir) ?? []) recheck.add(root);
    this.changedDirs.clear();
    const next = new Map<string, RootUnit>();
    const roots: RootUnit[] = [];
    let resolved = 0;
    for (const root of structure.names) {
      const before = this.rootUnits.get(root);
      const unit = before && !all && !recheck.has(root) ? before : this.rootUnit(root, structure.closures.get(root));
      if (unit !== before) resolved++;
      next.set(root, unit);
      roots.push(unit);
    }
    this.rootUnits = next;
    return { roots, resolved };
  }

  /** The roots, what each reads, and who reads each directory: computed again only when it may differ. */
  private currentStructure(): { structure: Structure; all: boolean } {
    let s = this.structure;
    if (s) {
      for (const dir of this.changedDirs) {
        const d = this.tfDirs.get(dir);
        if ((d ? this.dirKey(dir, d) : undefined) !== s.keys.get(dir)) {
          s = undefined;
          break;
        }
      }
      if (s) return { structure: s, all: false };
    }
    const names = this.rootNames();
    const closures = new Map<string, string[]>();
    const rootsByDir = new Map<string, string[]>();
    const keys = new Map<string, string>();
    for (const [dir, d] of this.tfDirs) keys.set(dir, this.dirKey(dir, d));
    for (const root of names) {
      const dirs = moduleClosure(root, this.callsOf);
      closures.set(root, dirs);
      for (const dir of dirs) (rootsByDir.get(dir) ?? rootsByDir.set(dir, []).get(dir)!).push(root);
    }
    this.structure = { names, closures, rootsByDir, keys };
    return { structure: this.structure, all: true };
  }

  /** What about a directory decides the roots: whether it has configuration, and what it calls. */
  private dirKey(dir: string, d: TfDir): string {
    const s = this.summary(dir, d);
    return `${s.hasConfig}|${[...s.calls].sort().join('|')}`;
  }

  /**
   * Resolves, ahead of `analyze`, the root modules of what has been read so far whose directories will not
   * change any more: `settled(dir)` says that of a directory (all its files are in, or it has none). A
   * reader calls this while more files are still being read, so resolving overlaps with reading; `analyze`
   * then finds these roots done. A directory that turns out to be called by one read later was resolved
   * for nothing, which costs time but never correctness. Returns how many roots were resolved.
   */
  resolveSettled(settled: (dir: string) => boolean): number {
    let resolved = 0;
    const names = this.rootNames();
    for (const root of names) {
      // Settled directories do not change until the reading is over: a root done is done.
      if (this.settledRoots.has(root)) continue;
      const dirs = moduleClosure(root, this.callsOf);
      if (!dirs.every(settled)) continue;
      // A call to a directory not read yet would resolve to "not in the workspace" now and differently later.
      if (!dirs.every((dir) => [...this.callsOf(dir)!].every(settled))) continue;
      this.settledRoots.add(root);
      const before = this.rootUnits.get(root);
      const unit = this.rootUnit(root, dirs);
      if (unit === before) continue;
      this.rootUnits.set(root, unit);
      resolved++;
    }
    return resolved;
  }

  private readonly callsOf = (dir: string): Set<string> | undefined => {
    const d = this.tfDirs.get(dir);
    return d ? this.summary(dir, d).calls : undefined;
  };

  /** Directories no other directory calls, that hold configuration, sorted. */
  private rootNames(): string[] {
    const called = new Set<string>();
    for (const [dir, d] of this.tfDirs) for (const c of this.summary(dir, d).calls) if (c !== dir) called.add(c);
    this.calledDirs = called;
    return [...this.tfDirs.keys()].filter((dir) => !called.has(dir) && this.summary(dir, this.tfDirs.get(dir)!).hasConfig).sort();
  }

  /** The root's unit: the cached one while the directories it reads are unchanged, else resolved now. */
  private rootUnit(root: string, dirs = moduleClosure(root, this.callsOf)): RootUnit {
    const signature = dirs.map((dir) => `${dir}@${this.tfDirs.get(dir)!.version}`).join('|');
    const cached = this.rootUnits.get(root);
    if (cached && cached.signature === signature) return cached;
    const mods = new Map<string, ModuleDir>();
    for (const dir of dirs) mods.set(dir, this.moduleDir(dir));
    const resources = resolveRoot(mods, root);
    const links = linkSummary(resources);
    return { id: `tf:${root}`, root, signature, dirs, version: ++this.clock, resources, links, linksKey: JSON.stringify(links), ignorers: ignorersOf(resources) };
  }

  /** The module index of a directory, from cached trees where they are still valid. */
  private moduleDir(dir: string): ModuleDir {
    const d = this.tfDirs.get(dir)!;
    const cached = this.dirTrees.get(dir);
    if (cached) {
      this.dirTrees.delete(dir);
      this.dirTreeBytes -= cached.bytes;
      if (cached.version === d.version) {
        this.dirTrees.set(dir, cached);
        this.dirTreeBytes += cached.bytes;
        return cached.mod;
      }
    }
    const files = new Map<string, { version: number; src: TfSourceFile }>();
    const srcs: TfSourceFile[] = [];
    let bytes = 0;
    for (const file of d.files) {
      const e = this.entries.get(file)!;
      let src = cached?.files.get(file);
      if (!src || src.version !== e.version) src = { version: e.version, src: { file, text: e.text, hcl: this.treeOf(file, e), role: roleOf(e.parsed.kind) } };
      files.set(file, src);
      srcs.push(src.src);
      bytes += e.text.length;
    }
    const mod = indexModuleDirs(srcs).get(dir)!;
    // Trees are kept for modules other directories call (every root that calls them reads them) and for
    // a directory being edited (the next keystroke re-parses one file, not all). A root read once while
    // indexing is not kept: its trees then die young, which is most of what garbage collection saves.
    const keep = d.built === true || this.calledDirs.has(dir);
    d.built = true;
    if (!keep) return mod;
    this.dirTrees.set(dir, { version: d.version, files, mod, bytes });
    this.dirTreeBytes += bytes;
    // Least recently used first; the directory just built always stays.
    for (const [k, v] of this.dirTrees) {
      if (this.dirTreeBytes <= this.treeBudget || k === dir) break;
      this.dirTrees.delete(k);
      this.dirTreeBytes -= v.bytes;
    }
    return mod;
  }

  private treeOf(file: string, e: FileEntry): HclFile {
    const fresh = this.freshTrees.get(file);
    if (fresh) this.dropTree(file);
    if (fresh && fresh.version === e.version) return fresh.tree;
    // A reader that threw once would throw again: the file stays empty, as it was when first read.
    if (e.parsed.internalError) return { body: { items: [], span: { start: 0, end: e.text.length } }, errors: e.parsed.errors, comments: [] };
    return parseTree(e.parsed.kind, e.text);
  }

  private stashTree(file: string, version: number, tree: HclFile, bytes: number): void {
    // A small workspace keeps every tree from setFile to the analysis; a large one parses again later
    // rather than holding all of them at once.
    const budget = this.treeBudget;
    if (bytes > budget) return;
    this.freshTrees.set(file, { version, tree, bytes });
    this.freshBytes += bytes;
    for (const [k, v] of this.freshTrees) {
      if (this.freshBytes <= budget) break;
      this.freshTrees.delete(k);
      this.freshBytes -= v.bytes;
    }
  }

  private dropTree(file: string): void {
    const fresh = this.freshTrees.get(file);
    if (!fresh) return;
    this.freshTrees.delete(file);
    this.freshBytes -= fresh.bytes;
  }

  // ---- CloudFormation ------------------------------------------------------------------------------

  /**
   * Templates with imports replaced by what other templates export. Redone only after a CloudFormation
   * file changed, and then only for templates whose own text or imported exports changed.
   */
  private resolveTemplates(): void {
    if (this.cfnBuilt === this.cfnGeneration) return;
    this.cfnBuilt = this.cfnGeneration;
    const exports = new Map<string, Value>();
    const exporters = new Map<string, FileEntry[]>();
    const templates: [string, FileEntry, CfnReadResult][] = [];
    for (const [file, e] of this.entries) {
      const cfn = e.parsed.cfn;
      if (!cfn?.isTemplate) continue;
      templates.push([file, e, cfn]);
      for (const x of cfn.exports) {
        exports.set(x.name, x.value);
        (exporters.get(x.name) ?? exporters.set(x.name, []).get(x.name)!).push(e);
      }
    }
    const previous = new Map(this.cfnUnits.map((u) => [u.file, u]));
    this.cfnUnits = templates.map(([file, e, cfn]) => {
      const signature = this.templateSignature(e, cfn, exporters);
      const prev = previous.get(file);
      if (prev && prev.signature === signature) return prev;
      let resources = cfn.resources;
      if (this.imports(cfn).length > 0) {
        // resolveImports rewrites attributes: give it copies, so the per-file result stays as read.
        resources = cfn.resources.map((r) => {
          const c = Object.assign({}, r);
          c.attrs = Object.assign({}, r.attrs);
          return c;
        });
        resolveImports(resources, exports);
      }
      const links = linkSummary(resources, this.imports(cfn), cfn.exports.map((x) => x.name));
      return { id: `cfn:${file}`, file, signature, version: ++this.clock, resources, links, linksKey: JSON.stringify(links), ignorers: ignorersOf(resources) };
    });
  }

  /** The template's version and the versions of every template it imports from, transitively. */
  private templateSignature(e: FileEntry, cfn: CfnReadResult, exporters: Map<string, FileEntry[]>): string {
    const parts = [String(e.version)];
    const seen = new Set<string>();
    const todo = [...this.imports(cfn)];
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const from = exporters.get(name) ?? [];
      parts.push(`${name}:${from.map((x) => x.version).join(',')}`);
      // An exported value can itself import; what it resolves to depends on that export too.
      for (const x of from) todo.push(...this.imports(x.parsed.cfn!));
    }
    return parts.join('|');
  }

  /** Names the template imports, in its resources and in the values it exports. */
  private imports(cfn: CfnReadResult): string[] {
    let names = this.importNames.get(cfn);
    if (!names) {
      const found = new Set<string>();
      for (const r of cfn.resources) for (const k in r.attrs) collectImports(r.attrs[k], found);
      for (const x of cfn.exports) collectImports(x.value, found);
      names = [...found];
      this.importNames.set(cfn, names);
    }
    return names;
  }

  // ---- findings ------------------------------------------------------------------------------------

  /**
   * Applies rule settings and ignore comments, and removes duplicates (a module used twice reports once).
   * What a source's findings come to is kept with it while the rule settings and the ignore comments on
   * resources stay the same, so after an edit only the re-evaluated component's findings are looked at.
   */
  private finalize(parts: FindingSource[], units: Unit[], settings: Settings): Finding[] {
    const ignorers = new Map<string, Resource[]>();
    const marks: string[] = [];
    for (const u of units) {
      for (const r of u.ignorers) {
        (ignorers.get(r.file) ?? ignorers.set(r.file, []).get(r.file)!).push(r);
        marks.push(`${r.file}:${r.span.start}:${r.span.end}:${r.annotations.map((a) => (a.kind === 'ignore' ? a.value : '')).join(',')}`);
      }
    }
    const prepareKey = `${JSON.stringify(settings.rules)}\n${marks.join('\n')}`;
    // Duplicates (the same rule, place and message, e.g. from a module two roots call) are reported once,
    // with the highest severity among them. Which one's related information and fixes are kept must not
    // depend on the order components were evaluated in: the one whose related information and fixes
    // sort first, so a partitioned, an incremental and a whole-workspace analysis agree.
    const kept = new Map<string, { p: Prepared; sev: Severity }>();
    for (const part of parts) {
      if (part.prepared?.key !== prepareKey) part.prepared = { key: prepareKey, items: this.prepare(part.findings, ignorers, settings) };
      for (const p of part.prepared.items) {
        const prev = kept.get(p.key);
        if (!prev) {
          kept.set(p.key, { p, sev: p.sev });
          continue;
        }
        if (rank(p.sev) > rank(prev.sev)) prev.sev = p.sev;
        if (p !== prev.p && tieKey(p) < tieKey(prev.p)) prev.p = p;
      }
    }
    const out: Finding[] = [];
    // The same finding is the same object as last time, so a caller can tell unchanged findings apart
    // without comparing their contents.
    for (const { p, sev } of kept.values()) out.push(sev === p.sev ? p.out : Object.assign({}, p.f, { severity: sev }));
    return out;
  }

  private prepare(findings: Finding[], ignorers: Map<string, Resource[]>, settings: Settings): Prepared[] {
    const out: Prepared[] = [];
    for (const f of findings) {
      const setting = settings.rules[f.ruleId];
      if (setting === 'off') continue;
      if (f.ruleId !== 'parse-error' && this.ignored(f, ignorers.get(f.location.file))) continue;
      const sev: Severity = setting ?? f.severity;
      const key = `${f.ruleId}|${f.location.file}|${f.location.span.start}|${f.location.span.end}|${f.message}`;
      out.push({ f, key, sev, out: f.severity === sev ? f : Object.assign({}, f, { severity: sev }) });
    }
    return out;
  }

  private ignored(f: Finding, resources: Resource[] | undefined): boolean {
    const s = f.location.span;
    for (const r of resources ?? []) {
      if (r.span.start <= s.start && s.end <= r.span.end && r.annotations.some((a) => a.kind === 'ignore' && a.value === f.ruleId)) return true;
    }
    // A comment on the finding's line, or on the line right above it.
    const e = this.entries.get(f.location.file);
    if (e === undefined) return false;
    e.hasIgnoreComment ??= /privatelink-lens-ignore/i.test(e.text);
    if (!e.hasIgnoreComment) return false;
    const text = e.text;
    const lineStart = text.lastIndexOf('\n', s.start - 1) + 1;
    const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
    let lineEnd = text.indexOf('\n', s.start);
    if (lineEnd < 0) lineEnd = text.length;
    const window = text.slice(prevStart, lineEnd);
    const m = /privatelink-lens-ignore\s+(PL\d{3})/gi;
    for (let x = m.exec(window); x; x = m.exec(window)) if (x[1].toUpperCase() === f.ruleId) return true;
    return false;
  }
}

/** Resources and keys of one analysis, indexed per unit on first use. */
class Lookup implements ResourceLookup {
  private indexed = false;
  private readonly rootsByDir = new Map<string, RootUnit[]>();
  private readonly rootById = new Map<string, Unit>();
  private readonly templates = new Map<string, Unit>();

  constructor(
    private readonly roots: readonly RootUnit[],
    private readonly cfn: readonly CfnUnit[],
  ) {}

  /** Built on the first question: many analyses (one per keystroke) are never asked any. */
  private index(): void {
    if (this.indexed) return;
    this.indexed = true;
    for (const r of this.roots) {
      this.rootById.set(r.id, r);
      for (const dir of r.dirs) (this.rootsByDir.get(dir) ?? this.rootsByDir.set(dir, []).get(dir)!).push(r);
    }
    for (const c of this.cfn) {
      this.templates.set(c.file, c);
      this.rootById.set(c.id, c);
    }
  }

  resourcesOf(file: string): readonly Resource[] {
    this.index();
    const units: Unit[] = [...(this.rootsByDir.get(dirname(file)) ?? [])];
    const t = this.templates.get(file);
    if (t) units.push(t);
    const out: Resource[] = [];
    for (const u of units) for (const r of byFile(u).get(file) ?? []) out.push(r);
    return out;
  }

  resource(key: string): Resource | undefined {
    this.index();
    // Keys are `tf:<root>:<address>` and `cfn:<file>:<logical id>`; a root or file may contain ':' itself.
    const start = key.indexOf(':') + 1;
    for (let i = key.indexOf(':', start); i >= 0; i = key.indexOf(':', i + 1)) {
      const u = this.rootById.get(key.slice(0, i));
      const r = u && byKey(u).get(key);
      if (r) return r;
    }
    for (const u of [...this.roots, ...this.cfn]) {
      const r = byKey(u).get(key);
      if (r) return r;
    }
    return undefined;
  }
}

function byFile(u: Unit): Map<string, Resource[]> {
  if (!u.byFile) {
    const m = new Map<string, Resource[]>();
    for (const r of u.resources) (m.get(r.file) ?? m.set(r.file, []).get(r.file)!).push(r);
    u.byFile = m;
  }
  return u.byFile;
}

function byKey(u: Unit): Map<string, Resource> {
  if (!u.byKey) {
    const m = new Map<string, Resource>();
    for (const r of u.resources) if (!m.has(r.key)) m.set(r.key, r);
    u.byKey = m;
  }
  return u.byKey;
}

function summarizeGroups(sgs: Map<string, SecurityGroup>): SecurityGroupSummary[] {
  const out: SecurityGroupSummary[] = [];
  const seen = new Set<SecurityGroup>();
  for (const [key, sg] of sgs) {
    // An adopted default SG is registered under two keys; report it once, under its resource.
    if (seen.has(sg)) continue;
    seen.add(sg);
    const rules = (rs: SecurityGroup['ingress']) => rs.map((r) => ({ text: describeRule(r), declaredBy: r.declaredBy.key, location: r.origin }));
    out.push({
      key: sg.resource?.key ?? key,
      label: sg.resource?.address ?? `default SG of ${sg.vpc.kind === 'resource' ? sg.vpc.resource.address : 'the VPC'}`,
      ingress: rules(sg.ingress),
      egress: rules(sg.egress),
      incomplete: sg.incomplete,
    });
  }
  return out;
}

function ignorersOf(resources: Resource[]): Resource[] {
  return resources.filter((r) => r.annotations.some((a) => a.kind === 'ignore'));
}

function collectImports(v: Value | undefined, out: Set<string>): void {
  if (!v) return;
  switch (v.kind) {
    case 'import':
      out.add(v.name);
      return;
    case 'list':
      for (const x of v.items) collectImports(x, out);
      return;
    case 'object':
      for (const k in v.entries) collectImports(v.entries[k], out);
      return;
    case 'concat':
      for (const x of v.parts) collectImports(x, out);
      return;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function rank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

function parseError(file: string, message: string, span: Span): Finding {
  return { ruleId: 'parse-error', severity: 'error', message, location: { file, span }, related: [], fixes: [] };
}

/**
 * File texts in two levels, folder then file, copied on write after a snapshot was taken: a snapshot
 * costs a copy of the folder level at the next change, and a change copies only its own folder.
 */
class TextStore {
  private dirs = new Map<string, Map<string, string>>();
  private size = 0;
  /** Maps that a snapshot may be reading, and must therefore be copied before they change. */
  private shared = new WeakSet<Map<string, unknown>>();

  set(file: string, text: string): void {
    const inner = this.writable(dirname(file));
    if (!inner.has(file)) this.size++;
    inner.set(file, text);
  }

  delete(file: string): void {
    const dir = dirname(file);
    if (!this.dirs.get(dir)?.has(file)) return;
    const inner = this.writable(dir);
    inner.delete(file);
    this.size--;
    if (inner.size === 0) this.dirs.delete(dir);
  }

  private writable(dir: string): Map<string, string> {
    if (this.shared.has(this.dirs)) this.dirs = new Map(this.dirs);
    let inner = this.dirs.get(dir);
    if (!inner) this.dirs.set(dir, (inner = new Map()));
    else if (this.shared.has(inner)) this.dirs.set(dir, (inner = new Map(inner)));
    return inner;
  }

  snapshot(): ReadonlyMap<string, string> {
    this.shared.add(this.dirs);
    for (const inner of this.dirs.values()) this.shared.add(inner);
    return new TextSnapshot(this.dirs, this.size);
  }
}

class TextSnapshot implements ReadonlyMap<string, string> {
  constructor(
    private readonly dirs: ReadonlyMap<string, ReadonlyMap<string, string>>,
    readonly size: number,
  ) {}

  get(file: string): string | undefined {
    return this.dirs.get(dirname(file))?.get(file);
  }

  has(file: string): boolean {
    return this.get(file) !== undefined;
  }

  *entries(): MapIterator<[string, string]> {
    for (const inner of this.dirs.values()) yield* inner.entries();
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  forEach(fn: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
