/**
 * The one place where engine data becomes LSP data and back: offsets ⇄ positions (through the engine's
 * `LineIndex`, always over the text of the file the offset belongs to), engine file names ⇄ URIs, findings
 * → diagnostics, fixes → workspace edits, paths → the custom protocol's `PathInfo`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CreateFile,
  DiagnosticSeverity,
  DiagnosticTag,
  TextDocumentEdit,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Location as LspLocation,
  type Position as LspPosition,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { docUrl, RULES_BY_ID, type Finding, type Hop, type LineIndex, type Location, type PrivateLinkPath, type Severity, type Span, type TextEdit } from '../engine';
import type { HopInfo, PathInfo } from '../shared/protocol';
import { toEnginePath } from '../workspace/files';

export const DIAGNOSTIC_SOURCE = 'privatelink-lens';

/** What conversions need to know about the files of one analysis: their texts and how the client names them. */
export interface FileTexts {
  lineIndex(file: string): LineIndex | undefined;
  uri(file: string): string;
}

/** The engine file behind a URI; undefined for schemes the server does not analyse (untitled, git, ...). */
export function uriToFile(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return toEnginePath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function fileToUri(file: string): string {
  return pathToFileURL(file).href;
}

const EMPTY_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function toRange(texts: FileTexts, file: string, span: Span): Range {
  const index = texts.lineIndex(file);
  return index ? index.range(span) : EMPTY_RANGE;
}

export function toOffset(texts: FileTexts, file: string, position: LspPosition): number | undefined {
  return texts.lineIndex(file)?.offset(position);
}

export function toLspLocation(texts: FileTexts, location: Location): LspLocation {
  return { uri: texts.uri(location.file), range: toRange(texts, location.file, location.span) };
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

/** The documentation page of a catalogued rule; parse errors have none. */
export function ruleDocUrl(ruleId: string): string | undefined {
  return RULES_BY_ID.has(ruleId) ? docUrl(ruleId) : undefined;
}

export function toDiagnostic(texts: FileTexts, finding: Finding): Diagnostic {
  const d: Diagnostic = {
    range: toRange(texts, finding.location.file, finding.location.span),
    severity: toSeverity(finding.severity),
    code: finding.ruleId,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  const doc = ruleDocUrl(finding.ruleId);
  if (doc) d.codeDescription = { href: doc };
  if (finding.related.length > 0) {
    // Each related location is converted with the text of its own file, which may not be this one.
    d.relatedInformation = finding.related.map(
      (r): DiagnosticRelatedInformation => ({ location: toLspLocation(texts, r.location), message: r.message }),
    );
  }
  if (finding.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

export interface EditOptions {
  /** The client takes `documentChanges` (versioned edits it refuses to apply to a changed document). */
  documentChanges: boolean;
  /** The client can create files through a workspace edit. */
  createFiles: boolean;
  /** The version the analysis saw, for open documents; null for files read from disk. */
  versionOf(uri: string): number | null;
  /** Whether the analysis had this file at all; edits to other files create them. */
  hasFile(file: string): boolean;
}

/**
 * Engine edits (offset spans into possibly several files) as one workspace edit, grouped per file in the
 * order given. Undefined when an edit needs a file created and the client cannot do that.
 */
export function toWorkspaceEdit(texts: FileTexts, edits: readonly TextEdit[], options: EditOptions): WorkspaceEdit | undefined {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of edits) {
    let list = byFile.get(e.file);
    if (!list) byFile.set(e.file, (list = []));
    list.push({ range: toRange(texts, e.file, e.span), newText: e.newText });
  }
  if (!options.documentChanges) {
    if ([...byFile.keys()].some((f) => !options.hasFile(f))) return undefined;
    const changes: Record<string, LspTextEdit[]> = {};
    for (const [file, list] of byFile) changes[texts.uri(file)] = list;
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const [file, list] of byFile) {
    const uri = texts.uri(file);
    if (!options.hasFile(file)) {
      if (!options.createFiles) return undefined;
      documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true }));
    }
    documentChanges.push(TextDocumentEdit.create({ uri, version: options.versionOf(uri) }, list));
  }
  return { documentChanges };
}

export function toHopInfo(texts: FileTexts, hop: Hop): HopInfo {
  const info: HopInfo = { kind: hop.kind, label: hop.label, verdict: hop.verdict, reasons: hop.reasons.map((r) => ({ ruleId: r.ruleId, message: r.message })) };
  if (hop.location) info.location = toLspLocation(texts, hop.location);
  return info;
}

export function toPathInfo(texts: FileTexts, path: PrivateLinkPath): PathInfo {
  const info: PathInfo = { id: path.id, verdict: path.verdict, hops: path.hops.map((h) => toHopInfo(texts, h)) };
  if (path.port !== undefined) info.port = path.port;
  return info;
}
