import type { Finding, PrivateLinkPath, Severity } from './model/finding';
import type { Resource } from './model/resource';
import type { Location, Span } from './model/span';
import type { Value } from './model/value';
import type { Settings } from './settings';
import type { HclFile } from './parse/terraform/ast';
import { parseHcl } from './parse/terraform';
import { parseTfJson } from './parse/terraform/tfjson';
import { readCloudFormation, resolveImports, type CfnReadResult } from './resolve/cloudformation';
import { resolveTerraform, type TfSourceFile } from './resolve/terraform/module';
import { buildGraph } from './graph/build';
import { describeRule, type SecurityGroup } from './graph/securityGroups';
import { evaluatePaths } from './graph/paths';
import { runRules } from './rules';

export interface AnalysisStats {
  files: number;
  parseMs: number;
  analyzeMs: number;
}

export interface AnalysisResult {
  /** Findings of every file, parse errors (`ruleId: "parse-error"`) included. */
  findings: Finding[];
  paths: PrivateLinkPath[];
  resources: Resource[];
  /** Every security group with its effective rules, whatever syntax declared them (for hovers and reports). */
  securityGroups: SecurityGroupSummary[];
  stats: AnalysisStats;
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

type Kind = 'tf' | 'tfjson' | 'tfvars' | 'tfvarsjson' | 'cfn-yaml' | 'cfn-json' | 'other';

interface FileEntry {
  text: string;
  kind: Kind;
  hcl?: HclFile;
  cfn?: CfnReadResult;
  parseMs: number;
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

/**
 * Holds the workspace's files in memory and analyses them. `setFile` parses one file (and only that
 * file, only when its text changed); `analyze` derives the cross-file model, the graph, the paths and the
 * findings from the per-file results. Files are named by absolute path with forward slashes; the caller
 * does all reading from disk.
 */
export class Analyzer {
  private readonly entries = new Map<string, FileEntry>();

  /** Returns false when the text is the same as before (nothing was re-parsed). */
  setFile(file: string, text: string): boolean {
    const prev = this.entries.get(file);
    if (prev && prev.text === text) return false;
    const kind = fileKind(file);
    const t0 = now();
    const entry: FileEntry = { text, kind, parseMs: 0 };
    try {
      switch (kind) {
        case 'tf':
        case 'tfvars':
          entry.hcl = parseHcl(text);
          break;
        case 'tfjson':
          entry.hcl = parseTfJson(text);
          break;
        case 'tfvarsjson':
          entry.hcl = parseTfJson(text, { tfvars: true });
          break;
        case 'cfn-yaml': {
          // `.template` files are often JSON.
          const json = /^\uFEFF?\s*\{/.test(text);
          entry.cfn = readCloudFormation(file, text, json);
          break;
        }
        case 'cfn-json':
          entry.cfn = readCloudFormation(file, text, true);
          break;
      }
    } catch (e) {
      // The parsers do not throw; if one ever does, the file still gets a diagnostic instead of a crash.
      entry.hcl = { body: { items: [], span: { start: 0, end: text.length } }, errors: [{ message: `internal parser error: ${(e as Error).message}`, span: { start: 0, end: 0 } }], comments: [] };
    }
    entry.parseMs = now() - t0;
    this.entries.set(file, entry);
    return true;
  }

  removeFile(file: string): void {
    this.entries.delete(file);
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

  /** Whether the file is Terraform or a CloudFormation template (other YAML/JSON is ignored). */
  isAnalysed(file: string): boolean {
    const e = this.entries.get(file);
    return !!e && (e.hcl !== undefined || e.cfn?.isTemplate === true);
  }

  analyze(settings: Settings): AnalysisResult {
    const t0 = now();
    const findings: Finding[] = [];
    const tfFiles: TfSourceFile[] = [];
    const cfnResources: Resource[] = [];
    const exports = new Map<string, Value>();
    let parseMs = 0;
    let analysed = 0;
    for (const [file, e] of this.entries) {
      parseMs += e.parseMs;
      if (e.hcl) {
        analysed++;
        tfFiles.push({ file, text: e.text, hcl: e.hcl, role: e.kind === 'tfvars' || e.kind === 'tfvarsjson' ? 'vars' : 'config' });
        for (const err of e.hcl.errors) findings.push(parseError(file, err.message, err.span));
      } else if (e.cfn?.isTemplate) {
        analysed++;
        for (const err of e.cfn.errors) findings.push(parseError(file, err.message, err.span));
        // resolveImports rewrites attributes: give it copies, so the per-file cache stays as read.
        for (const r of e.cfn.resources) cfnResources.push({ ...r, attrs: { ...r.attrs } });
        for (const x of e.cfn.exports) exports.set(x.name, x.value);
      }
    }
    resolveImports(cfnResources, exports);
    const tf = resolveTerraform(tfFiles);
    const resources = [...tf.resources, ...cfnResources];
    const graph = buildGraph(resources, settings);
    const paths = evaluatePaths(graph, settings);
    findings.push(...runRules({ graph, paths, settings, textOf: (f) => this.entries.get(f)?.text }));
    const result: AnalysisResult = {
      findings: this.finalize(findings, resources, settings),
      paths: paths.map((p) => ({ id: p.id, verdict: p.verdict, port: p.port, hops: p.hops })),
      resources,
      securityGroups: summarizeGroups(graph.sgs),
      stats: { files: analysed, parseMs: Math.round(parseMs), analyzeMs: 0 },
    };
    result.stats.analyzeMs = Math.round(now() - t0);
    return result;
  }

  /** Applies rule settings and ignore comments, and removes duplicates (a module used twice reports once). */
  private finalize(findings: Finding[], resources: Resource[], settings: Settings): Finding[] {
    const byFile = new Map<string, Resource[]>();
    for (const r of resources) (byFile.get(r.file) ?? byFile.set(r.file, []).get(r.file)!).push(r);
    const seen = new Map<string, Finding>();
    const order: string[] = [];
    for (const f of findings) {
      const setting = settings.rules[f.ruleId];
      if (setting === 'off') continue;
      if (f.ruleId !== 'parse-error' && this.ignored(f, byFile.get(f.location.file) ?? [])) continue;
      const sev: Severity = setting ?? f.severity;
      const key = `${f.ruleId}|${f.location.file}|${f.location.span.start}|${f.location.span.end}|${f.message}`;
      const prev = seen.get(key);
      if (prev) {
        if (rank(sev) > rank(prev.severity)) prev.severity = sev;
        continue;
      }
      seen.set(key, { ...f, severity: sev });
      order.push(key);
    }
    return order.map((k) => seen.get(k)!);
  }

  private ignored(f: Finding, resources: Resource[]): boolean {
    const s = f.location.span;
    for (const r of resources) {
      if (r.span.start <= s.start && s.end <= r.span.end && r.annotations.some((a) => a.kind === 'ignore' && a.value === f.ruleId)) return true;
    }
    // A comment on the finding's line, or on the line right above it.
    const text = this.entries.get(f.location.file)?.text;
    if (text === undefined) return false;
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

function rank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

function parseError(file: string, message: string, span: Span): Finding {
  return { ruleId: 'parse-error', severity: 'error', message, location: { file, span }, related: [], fixes: [] };
}

