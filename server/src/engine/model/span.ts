/**
 * Positions inside the engine are offsets into the text the engine was given, counted in UTF-16 code
 * units (JavaScript string indices). That is exactly what LSP positions count, so the one conversion to
 * line/character lives in `LineIndex` and nothing else in the engine needs to think about encodings.
 */
export interface Span {
  start: number;
  end: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface LineRange {
  start: Position;
  end: Position;
}

/** A place in the workspace: a file (as given to the engine, a path or a URI) and a span in it. */
export interface Location {
  file: string;
  span: Span;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** Maps offsets to 0-based line/character (UTF-16) and back. Lines end at \n; a \r before it stays on the line. */
export class LineIndex {
  private readonly starts: number[];
  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] - 1 : this.text.length;
    return Math.min(lineStart + Math.max(0, pos.character), next);
  }

  range(s: Span): LineRange {
    return { start: this.position(s.start), end: this.position(s.end) };
  }

  /** The offset where the line containing `offset` starts. */
  lineStart(offset: number): number {
    return this.starts[this.position(offset).line];
  }
}
