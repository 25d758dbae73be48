/**
 * The CLI's output formats over one analysis result: text for people, JSON (stable, version 1, documented
 * in the README), SARIF 2.1.0 for code scanning, and DOT / Mermaid drawings of the paths.
 */
import { LineIndex, RULES, docUrl, type AnalysisResult, type Finding, type LineRange, type Location, type PrivateLinkPath } from './engine';

type Rel = (file: string) => string;
type TextOf = (file: string) => string;

class Ranges {
  private readonly cache = new Map<string, LineIndex>();
  constructor(private readonly textOf: TextOf) {}

  range(loc: Location): LineRange {
    let idx = this.cache.get(loc.file);
    if (!idx) this.cache.set(loc.file, (idx = new LineIndex(this.textOf(loc.file))));
    return idx.range(loc.span);
  }
}

export interface JsonReport {
  version: 1;
  stats: { files: number; parseMs: number; analyzeMs: number };
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    file: string;
    range: LineRange;
    related: { file: string; range: LineRange; message: string }[];
    fixes: { title: string; edits: { file: string; range: LineRange; newText: string }[] }[];
  }[];
  paths: {
    id: string;
    verdict: string;
    port?: string;
    hops: { kind: string; label: string; verdict: string; reasons: { ruleId: string; message: string }[]; location?: { file: string; range: LineRange } }[];
  }[];
}

export function toJsonReport(result: AnalysisResult, rel: Rel, textOf: TextOf): JsonReport {
  const r = new Ranges(textOf);
  return {
    version: 1,
    stats: { files: result.stats.files, parseMs: result.stats.parseMs, analyzeMs: result.stats.analyzeMs },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: rel(f.location.file),
      range: r.range(f.location),
      related: f.related.map((x) => ({ file: rel(x.location.file), range: r.range(x.location), message: x.message })),
      fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ file: rel(e.file), range: r.range({ file: e.file, span: e.span }), newText: e.newText })) })),
    })),
    paths: result.paths.map((p) => ({
      id: p.id,
      verdict: p.verdict,
      ...(p.port ? { port: p.port } : {}),
      hops: p.hops.map((h) => ({
        kind: h.kind,
        label: h.label,
        verdict: h.verdict,
        reasons: h.reasons,
        ...(h.location ? { location: { file: rel(h.location.file), range: r.range(h.location) } } : {}),
      })),
    })),
  };
}

const ICON = { open: 'open', blocked: 'BLOCKED', unknown: 'unknown' } as const;

/** `PL0xx severity file:line message`, then the paths hop by hop. */
export function toText(result: AnalysisResult, rel: Rel, textOf: TextOf): string {
  const r = new Ranges(textOf);
  const lines: string[] = [];
  const sorted = [...result.findings].sort((a, b) => rel(a.location.file).localeCompare(rel(b.location.file)) || a.location.span.start - b.location.span.start);
  for (const f of sorted) {
    const pos = r.range(f.location).start;
    lines.push(`${f.ruleId} ${f.severity} ${rel(f.location.file)}:${pos.line + 1}:${pos.character + 1} ${f.message}`);
  }
  if (sorted.length === 0) lines.push('No findings.');
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity]++;
  lines.push('', `${result.findings.length} findings (${counts.error} errors, ${counts.warning} warnings, ${counts.info} info) in ${result.stats.files} files; parse ${result.stats.parseMs} ms, analysis ${result.stats.analyzeMs} ms.`);
  lines.push('', result.paths.length === 0 ? 'No PrivateLink paths found.' : `PrivateLink paths (${result.paths.length}):`);
  result.paths.forEach((p, i) => {
    lines.push('', `Path ${i + 1}: ${ICON[p.verdict]}${p.port ? ` (${p.port})` : ''}`);
    const w = Math.max(...p.hops.map((h) => h.kind.length));
    for (const h of p.hops) {
      const where = h.location ? `  ${rel(h.location.file)}:${r.range(h.location).start.line + 1}` : '';
      lines.push(`  ${h.kind.padEnd(w)}  ${ICON[h.verdict].padEnd(7)}  ${h.label}${where}`);
      for (const reason of h.reasons) lines.push(`  ${' '.repeat(w)}           ${reason.ruleId}: ${reason.message}`);
    }
  });
  return lines.join('\n');
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0 as GitHub code scanning reads it; each path through a finding is a code flow. */
export function toSarif(result: AnalysisResult, rel: Rel, textOf: TextOf, version: string): unknown {
  const r = new Ranges(textOf);
  const region = (loc: Location) => {
    const x = r.range(loc);
    return { startLine: x.start.line + 1, startColumn: x.start.character + 1, endLine: x.end.line + 1, endColumn: x.end.character + 1 };
  };
  const physical = (loc: Location) => ({ artifactLocation: { uri: encodeURI(rel(loc.file)) }, region: region(loc) });
  const rules = [
    ...RULES.map((m) => ({
      id: m.id,
      name: m.name,
      shortDescription: { text: m.name.replace(/-/g, ' ') },
      helpUri: docUrl(m.id),
      help: { text: `See ${docUrl(m.id)}` },
      defaultConfiguration: { level: LEVEL[m.severity] },
    })),
    { id: 'parse-error', name: 'parse-error', shortDescription: { text: 'syntax error' }, defaultConfiguration: { level: 'error' } },
  ];
  const ruleIndex = new Map(rules.map((x, i) => [x.id, i]));
  const flowsFor = (f: Finding) =>
    result.paths
      .filter((p) => p.hops.some((h) => h.reasons.some((x) => x.ruleId === f.ruleId && x.message === f.message)))
      .map((p) => codeFlow(p, physical));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'PrivateLink Lens', informationUri: 'https://github.com/privatelink-lens/privatelink-lens', semanticVersion: version, rules } },
        results: result.findings.map((f) => {
          const flows = flowsFor(f);
          return {
            ruleId: f.ruleId,
            ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
            level: LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: physical(f.location) }],
            ...(f.related.length > 0 ? { relatedLocations: f.related.map((x, i) => ({ id: i + 1, physicalLocation: physical(x.location), message: { text: x.message } })) } : {}),
            ...(f.fixes.length > 0
              ? {
                  fixes: f.fixes.map((fix) => ({
                    description: { text: fix.title },
                    artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
                      artifactLocation: { uri: encodeURI(rel(file)) },
                      replacements: edits.map((e) => ({ deletedRegion: region({ file: e.file, span: e.span }), insertedContent: { text: e.newText } })),
                    })),
                  })),
                }
              : {}),
            ...(flows.length > 0 ? { codeFlows: flows } : {}),
          };
        }),
      },
    ],
  };
}

function groupByFile<T extends { file: string }>(edits: T[]): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const e of edits) (m.get(e.file) ?? m.set(e.file, []).get(e.file)!).push(e);
  return [...m];
}

function codeFlow(p: PrivateLinkPath, physical: (loc: Location) => unknown): unknown {
  return {
    message: { text: `PrivateLink path ${p.verdict}${p.port ? ` (${p.port})` : ''}` },
    threadFlows: [
      {
        locations: p.hops
          .filter((h) => h.location)
          .map((h) => ({
            location: { physicalLocation: physical(h.location!), message: { text: `${h.kind} ${h.label}: ${h.verdict}${h.reasons.length > 0 ? ` (${h.reasons.map((x) => x.ruleId).join(', ')})` : ''}` } },
            kinds: [h.kind],
          })),
      },
    ],
  };
}

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function toDot(result: AnalysisResult): string {
  const lines = ['digraph privatelink {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  const nodes = new Map<string, string>();
  const edges = new Set<string>();
  for (const p of result.paths) {
    let prev: string | undefined;
    for (const h of p.hops) {
      const id = `${h.kind}:${h.label}`;
      nodes.set(id, `${h.kind}\\n${h.label.replace(/"/g, "'")}\\n[${h.verdict}]`);
      if (prev) edges.add(`  ${dotId(prev)} -> ${dotId(id)};`);
      prev = id;
    }
  }
  for (const [id, label] of nodes) lines.push(`  ${dotId(id)} [label="${label}"];`);
  lines.push(...edges, '}');
  return lines.join('\n');
}

export function toMermaid(result: AnalysisResult): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  const edges = new Set<string>();
  const idOf = (key: string) => ids.get(key) ?? ids.set(key, `n${ids.size}`).get(key)!;
  for (const p of result.paths) {
    let prev: string | undefined;
    for (const h of p.hops) {
      const key = `${h.kind}:${h.label}`;
      const id = idOf(key);
      // Mermaid labels are quoted; quotes and brackets in names become entities so a name cannot break out.
      const text = `${h.kind}: ${h.label} (${h.verdict})`.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
      lines.push(`  ${id}["${text}"]`);
      if (prev) edges.add(`  ${prev} --> ${id}`);
      prev = id;
    }
  }
  return [...new Set(lines), ...edges].join('\n');
}


