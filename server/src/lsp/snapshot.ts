/**
 * One analysis, frozen: the engine's result together with the exact texts and document versions it was
 * computed from. Handlers answer from the snapshot, never from the analyzer's current files, so an offset
 * is always converted with the text it points into, even while newer edits wait for the next analysis.
 */
import { LineIndex, type AnalysisResult, type Finding, type PrivateLinkPath, type Resource, type Span } from '../engine';
import type { FileTexts } from './convert';

export class Snapshot implements FileTexts {
  private readonly indexes = new Map<string, LineIndex>();
  private readonly findingsOfFile = new Map<string, Finding[]>();
  /**
   * Resources are looked up through the analysis' own per-root indexes, file by file as handlers ask:
   * indexing every resource of a large workspace here would cost more than the analysis after an edit.
   */
  private readonly resourcesOfFile = new Map<string, readonly Resource[]>();

  constructor(
    readonly result: AnalysisResult,
    /** Every file the analysis saw, with its text. */
    readonly texts: ReadonlyMap<string, string>,
    /** For open documents: the version whose text the analysis saw, by URI. */
    readonly versions: ReadonlyMap<string, number>,
    private readonly uriOf: (file: string) => string,
  ) {
    for (const f of result.findings) push(this.findingsOfFile, f.location.file, f);
  }

  lineIndex(file: string): LineIndex | undefined {
    let index = this.indexes.get(file);
    if (!index) {
      const text = this.texts.get(file);
      if (text === undefined) return undefined;
      index = new LineIndex(text);
      this.indexes.set(file, index);
    }
    return index;
  }

  uri(file: string): string {
    return this.uriOf(file);
  }

  hasFile(file: string): boolean {
    return this.texts.has(file);
  }

  findings(file: string): readonly Finding[] {
    return this.findingsOfFile.get(file) ?? [];
  }

  /** Files with at least one finding. */
  filesWithFindings(): Iterable<string> {
    return this.findingsOfFile.keys();
  }

  resources(file: string): readonly Resource[] {
    let rs = this.resourcesOfFile.get(file);
    if (!rs) {
      rs = this.result.lookup.resourcesOf(file);
      this.resourcesOfFile.set(file, rs);
    }
    return rs;
  }

  resource(key: string): Resource | undefined {
    return this.result.lookup.resource(key);
  }

  /** The innermost resource whose span contains the offset. */
  resourceAt(file: string, offset: number): Resource | undefined {
    let best: Resource | undefined;
    for (const r of this.resources(file)) {
      if (contains(r.span, offset) && (!best || r.span.end - r.span.start < best.span.end - best.span.start)) best = r;
    }
    return best;
  }

  findingsAt(file: string, offset: number): Finding[] {
    return this.findings(file).filter((f) => contains(f.location.span, offset));
  }

  pathsThrough(resourceKey: string): PrivateLinkPath[] {
    return this.result.paths.filter((p) => p.hops.some((h) => h.resource === resourceKey));
  }

  /** Paths with a hop in the file: through one of its resources, or located in it. */
  pathsInFile(file: string): PrivateLinkPath[] {
    const keys = new Set(this.resources(file).map((r) => r.key));
    return this.result.paths.filter((p) => p.hops.some((h) => (h.resource !== undefined && keys.has(h.resource)) || h.location?.file === file));
  }
}

/** Inclusive at both ends: a cursor right after the last character of a span is still "on" it. */
export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** Whether two spans share text, or an empty span touches the other. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
