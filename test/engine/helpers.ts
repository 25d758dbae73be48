import { Analyzer, DEFAULT_SETTINGS, normalizeSettings, type AnalysisResult, type Finding, type Settings } from '../../server/src/engine';

/** Analyses an in-memory workspace: `{ '/ws/a/main.tf': '...' }`. */
export function analyzeFiles(files: Record<string, string>, settings: Partial<Settings> = {}): AnalysisResult & { analyzer: Analyzer } {
  const analyzer = new Analyzer();
  for (const [f, text] of Object.entries(files)) analyzer.setFile(f, text);
  const result = analyzer.analyze(normalizeSettings({ ...DEFAULT_SETTINGS, ...settings }));
  return { ...result, analyzer };
}

export function ruleIds(findings: Finding[]): string[] {
  return findings.map((f) => f.ruleId).sort();
}

export function findingsOf(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

/** Applies a fix's edits (all in one file or several) to a copy of the files. */
export function applyEdits(files: Record<string, string>, edits: { file: string; span: { start: number; end: number }; newText: string }[]): Record<string, string> {
  const out = { ...files };
  const byFile = new Map<string, typeof edits>();
  for (const e of edits) (byFile.get(e.file) ?? byFile.set(e.file, []).get(e.file)!).push(e);
  for (const [file, es] of byFile) {
    let text = out[file];
    // Right to left; inserts at the same offset keep their array order in the result, as LSP specifies.
    const ordered = es.map((e, i) => ({ e, i })).sort((a, b) => b.e.span.start - a.e.span.start || b.i - a.i);
    for (const { e } of ordered) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    out[file] = text;
  }
  return out;
}

/** The source text a finding points at. */
export function textAt(files: Record<string, string>, f: Finding): string {
  return files[f.location.file].slice(f.location.span.start, f.location.span.end);
}
