import type { Comment, SyntaxError as HclSyntaxError } from './ast';

/**
 * The HCL scanner. It is pull-based and allocation-free for ordinary tokens: the current token lives in
 * the `type`/`start`/`end` fields, and the parser reads text from the source only when it needs a name or
 * a value. Template text (inside quotes, heredocs and JSON strings) is scanned on demand by the parser,
 * chunk by chunk, because what a `}` or a `"` means depends on where the parser is, not on the characters.
 */

export const enum Tok {
  EOF,
  Newline,
  Ident,
  Number,
  /** A `"`: the parser scans the template that follows. */
  OQuote,
  /** `<<EOT` / `<<-EOT` plus the newline after it; `heredocMarker`/`heredocIndent` describe it. */
  Heredoc,
  LBrace,
  RBrace,
  /** `~}`: the end of an interpolation or directive that strips the whitespace after it. */
  StripRBrace,
  LBrack,
  RBrack,
  LParen,
  RParen,
  Comma,
  Dot,
  Ellipsis,
  Star,
  Eq,
  FatArrow,
  Question,
  Colon,
  DoubleColon,
  Plus,
  Minus,
  Slash,
  Percent,
  EqEq,
  NotEq,
  Lt,
  Gt,
  LtEq,
  GtEq,
  AndAnd,
  OrOr,
  Bang,
  /** A character the language does not use; `invalidMessage` says why. */
  Invalid,
}

/** Why a template chunk stopped. */
export const enum Stop {
  /** The closing `"` of a quoted template (consumed). */
  Quote,
  /** `${` or `${~` (consumed). */
  Interp,
  /** `%{` or `%{~` (consumed). */
  Directive,
  /** A line break inside a quoted template (not consumed): the string is unterminated. */
  Newline,
  /** A heredoc line break (consumed; the literal includes it). */
  LineEnd,
  /** The heredoc's closing marker line, or the end of a bare template. */
  End,
  EOF,
}

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;

/** Terraform's top-level block types, for resynchronising after an error (see `topKeywordAt`). */
const TOP_KEYWORDS: ReadonlySet<string> = new Set([
  'resource',
  'data',
  'module',
  'variable',
  'output',
  'locals',
  'provider',
  'terraform',
  'moved',
  'import',
  'removed',
  'check',
]);

const ID_START_RE = /[\p{L}\p{Nl}]/u;
const ID_CONTINUE_RE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;

function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isAsciiIdContinue(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Whitespace as template strip markers (`~`) and heredoc indentation see it (Go's unicode.IsSpace). */
export function isTemplateSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0;
}

export class Lexer {
  readonly text: string;
  readonly len: number;
  pos: number;
  /** When set, line breaks are whitespace (inside parentheses, brackets and interpolations). */
  skipNewlines = false;

  type: Tok = Tok.EOF;
  start = 0;
  end = 0;
  invalidMessage = '';
  /** Whether a line break was skipped (in `skipNewlines` mode) right before the current token. */
  nlBefore = false;
  /** Set for a number token that is not a valid HCL number (like `10.0.0.1`). */
  badNumber = false;
  heredocMarker = '';
  heredocIndent = false;

  /** The literal text of the last template chunk, escapes decoded, and where it lies in the source. */
  chunkValue = '';
  chunkStart = 0;
  chunkEnd = 0;
  /** The stop marker of the last chunk (`${~` has stopStrip set) and where it lies. */
  stopStart = 0;
  stopEnd = 0;
  stopStrip = false;

  private lineStarts: number[] | undefined;

  constructor(
    text: string,
    readonly comments: Comment[],
    readonly errors: HclSyntaxError[],
    start = 0,
    end = text.length,
    lineStarts?: number[],
  ) {
    this.text = text;
    this.len = end;
    this.pos = start;
    this.lineStarts = lineStarts;
  }

  error(start: number, end: number, message: string): void {
    const errors = this.errors;
    // One error per place is enough: recovery often re-examines the token that caused the first one.
    if (errors.length > 0 && errors[errors.length - 1].span.start === start) return;
    // A file of garbage (a binary opened by mistake) would give an error per line; a thousand say enough.
    if (errors.length >= 1000) return;
    errors.push({ message, span: { start, end } });
  }

  /** 1-based line number of an offset, for messages. */
  lineOf(offset: number): number {
    const starts = this.lines();

    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offsets where lines start, computed on the first message that needs a line number. */
  lines(): number[] {
    let starts = this.lineStarts;
    if (!starts) {
      starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return starts;
  }

  lineStartsIfComputed(): number[] | undefined {
    return this.lineStarts;
  }

  /** Whether `offset` is the first character of its line (ignoring a BOM at the start of the file). */
  atLineStart(offset: number): boolean {
    if (offset === 0) return true;
    const c = this.text.charCodeAt(offset - 1);
    return c === CH_LF || (offset === 1 && c === 0xfeff);
  }

  /** The current token's type (a method, so that TypeScript does not narrow it across `next()` calls). */
  tok(): Tok {
    return this.type;
  }

  tokenText(): string {
    return this.text.slice(this.start, this.end);
  }

  private set(type: Tok, start: number, end: number): void {
    this.type = type;
    this.start = start;
    this.end = end;
    this.pos = end;
  }

  /** Scans the next token from `pos`, collecting comments on the way. */
  next(): void {
    const text = this.text;
    const n = this.len;
    let p = this.pos;
    this.nlBefore = false;
    for (;;) {
      if (p >= n) {
        this.set(Tok.EOF, n, n);
        return;
      }
      const c = text.charCodeAt(p);
      if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
        p++;
        continue;
      }
      if (c === CH_LF) {
        if (this.skipNewlines) {
          this.nlBefore = true;
          p++;
          continue;
        }
        this.set(Tok.Newline, p, p + 1);
        return;
      }
      if (isAsciiIdStart(c)) {
        let q = p + 1;
        while (q < n) {
          const d = text.charCodeAt(q);
          if (isAsciiIdContinue(d)) q++;
          else if (d >= 128 && this.isUnicodeIdContinue(q)) q += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
          else break;
        }
        this.set(Tok.Ident, p, q);
        return;
      }
      if (isDigit(c)) {
        this.scanNumber(p);
        return;
      }
      const c1 = p + 1 < n ? text.charCodeAt(p + 1) : -1;
      switch (c) {
        case 34 /* " */:
          this.set(Tok.OQuote, p, p + 1);
          return;
        case 35 /* # */:
          p = this.lineComment(p);
          continue;
        case 47 /* / */:
          if (c1 === 47) {
            p = this.lineComment(p);
            continue;
          }
          if (c1 === 42) {
            p = this.blockComment(p);
            continue;
          }
          this.set(Tok.Slash, p, p + 1);
          return;
        case 123:
          this.set(Tok.LBrace, p, p + 1);
          return;
        case 125:
          this.set(Tok.RBrace, p, p + 1);
          return;
        case 91:
          this.set(Tok.LBrack, p, p + 1);
          return;
        case 93:
          this.set(Tok.RBrack, p, p + 1);
          return;
        case 40:
          this.set(Tok.LParen, p, p + 1);
          return;
        case 41:
          this.set(Tok.RParen, p, p + 1);
          return;
        case 44:
          this.set(Tok.Comma, p, p + 1);
          return;
        case 46 /* . */:
          if (c1 === 46 && p + 2 < n && text.charCodeAt(p + 2) === 46) this.set(Tok.Ellipsis, p, p + 3);
          else this.set(Tok.Dot, p, p + 1);
          return;
        case 42:
          this.set(Tok.Star, p, p + 1);
          return;
        case 61 /* = */:
          if (c1 === 61) this.set(Tok.EqEq, p, p + 2);
          else if (c1 === 62) this.set(Tok.FatArrow, p, p + 2);
          else this.set(Tok.Eq, p, p + 1);
          return;
        case 63:
          this.set(Tok.Question, p, p + 1);
          return;
        case 58 /* : */:
          if (c1 === 58) this.set(Tok.DoubleColon, p, p + 2);
          else this.set(Tok.Colon, p, p + 1);
          return;
        case 43:
          this.set(Tok.Plus, p, p + 1);
          return;
        case 45:
          this.set(Tok.Minus, p, p + 1);
          return;
        case 37:
          this.set(Tok.Percent, p, p + 1);
          return;
        case 33 /* ! */:
          if (c1 === 61) this.set(Tok.NotEq, p, p + 2);
          else this.set(Tok.Bang, p, p + 1);
          return;
        case 60 /* < */:
          if (c1 === 61) this.set(Tok.LtEq, p, p + 2);
          else if (c1 === 60 && this.scanHeredocStart(p, true)) return;
          else this.set(Tok.Lt, p, p + 1);
          return;
        case 62:
          if (c1 === 61) this.set(Tok.GtEq, p, p + 2);
          else this.set(Tok.Gt, p, p + 1);
          return;
        case 38 /* & */:
          if (c1 === 38) this.set(Tok.AndAnd, p, p + 2);
          else this.invalid(p, 1, "Invalid character '&'; did you mean '&&'?");
          return;
        case 124 /* | */:
          if (c1 === 124) this.set(Tok.OrOr, p, p + 2);
          else this.invalid(p, 1, "Invalid character '|'; did you mean '||'?");
          return;
        case 126 /* ~ */:
          if (c1 === 125) this.set(Tok.StripRBrace, p, p + 2);
          else this.invalid(p, 1, "Invalid character '~'; a strip marker belongs right after '${' or '%{' or right before '}'");
          return;
        case 39 /* ' */:
          this.invalid(p, 1, 'Single quotes are not valid; use double quotes (") to enclose strings');
          return;
        case 0xfeff:
          // A byte order mark is only meaningful at the start, where parseHcl skips it; elsewhere, ignore it.
          p++;
          continue;
        default:
          if (c >= 128 && this.isUnicodeIdStart(p)) {
            let q = p + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
            while (q < n) {
              const d = text.charCodeAt(q);
              if (isAsciiIdContinue(d)) q++;
              else if (d >= 128 && this.isUnicodeIdContinue(q)) q += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
              else break;
            }
            this.set(Tok.Ident, p, q);
            return;
          }
          {
            const width = c >= 0xd800 && c <= 0xdbff && p + 1 < n ? 2 : 1;
            this.invalid(p, width, `Invalid character '${text.slice(p, p + width)}'`);
          }
          return;
      }
    }
  }

  private invalid(p: number, width: number, message: string): void {
    this.invalidMessage = message;
    this.set(Tok.Invalid, p, p + width);
  }

  private isUnicodeIdStart(p: number): boolean {
    const cp = this.text.codePointAt(p);
    return cp !== undefined && ID_START_RE.test(String.fromCodePoint(cp));
  }

  private isUnicodeIdContinue(p: number): boolean {
    const cp = this.text.codePointAt(p);
    return cp !== undefined && ID_CONTINUE_RE.test(String.fromCodePoint(cp));
  }

  /** Collects a `#` or `//` comment; returns the offset of the line break that ends it (left unconsumed). */
  private lineComment(p: number): number {
    const text = this.text;
    let q = text.indexOf('\n', p);
    if (q === -1 || q > this.len) q = this.len;
    let e = q;
    if (e > p && text.charCodeAt(e - 1) === CH_CR) e--;
    this.comments.push({ text: text.slice(p, e), span: { start: p, end: e } });
    return q;
  }

  private blockComment(p: number): number {
    const text = this.text;
    let q = text.indexOf('*/', p + 2);
    let e: number;
    if (q === -1 || q + 2 > this.len) {
      e = this.len;
      q = this.len;
      this.error(p, p + 2, "Unterminated comment: expected '*/' before the end of the file");
    } else {
      e = q + 2;
      q = e;
    }
    this.comments.push({ text: text.slice(p, e), span: { start: p, end: e } });
    return q;
  }

  /**
   * Numbers follow HCL's scanner: digits, an optional fraction and exponent. Like HCL, a run such as
   * `10.0.0.1` is taken whole and flagged, rather than read as `10.0` followed by junk.
   */
  private scanNumber(p: number): void {
    const text = this.text;
    const n = this.len;
    let q = p + 1;
    while (q < n && isDigit(text.charCodeAt(q))) q++;
    if (q + 1 < n && text.charCodeAt(q) === 46 && isDigit(text.charCodeAt(q + 1))) {
      q += 2;
      while (q < n && isDigit(text.charCodeAt(q))) q++;
    }
    q = this.scanExponent(q);
    let bad = false;
    while (q + 1 < n && text.charCodeAt(q) === 46 && isDigit(text.charCodeAt(q + 1))) {
      bad = true;
      q += 2;
      while (q < n && isDigit(text.charCodeAt(q))) q++;
      q = this.scanExponent(q);
    }
    this.badNumber = bad;
    this.set(Tok.Number, p, q);
  }

  private scanExponent(q: number): number {
    const text = this.text;
    const n = this.len;
    const e = q < n ? text.charCodeAt(q) : -1;
    if (e !== 101 && e !== 69) return q;
    let r = q + 1;
    const s = r < n ? text.charCodeAt(r) : -1;
    if (s === 43 || s === 45) r++;
    if (r < n && isDigit(text.charCodeAt(r))) {
      r++;
      while (r < n && isDigit(text.charCodeAt(r))) r++;
      return r;
    }
    return q;
  }

  /** Re-scans the current number token as digits only (for the legacy `list.0` index form). */
  digitsOnly(): void {
    const text = this.text;
    let q = this.start;
    while (q < this.end && isDigit(text.charCodeAt(q))) q++;
    this.badNumber = false;
    this.set(Tok.Number, this.start, q);
  }

  /** `<<EOT` or `<<-EOT` followed by a line break. Returns false (and scans nothing) for anything else. */
  private scanHeredocStart(p: number, report: boolean): boolean {
    const text = this.text;
    const n = this.len;
    let q = p + 2;
    let indent = false;
    if (q < n && text.charCodeAt(q) === 45) {
      indent = true;
      q++;
    }
    const idStart = q;
    if (q >= n || !(isAsciiIdStart(text.charCodeAt(q)) || (text.charCodeAt(q) >= 128 && this.isUnicodeIdStart(q)))) return false;
    q++;
    while (q < n) {
      const d = text.charCodeAt(q);
      if (isAsciiIdContinue(d)) q++;
      else if (d >= 128 && this.isUnicodeIdContinue(q)) q += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
      else break;
    }
    const idEnd = q;
    while (q < n && (text.charCodeAt(q) === CH_SPACE || text.charCodeAt(q) === CH_TAB)) q++;
    const blanks = q > idEnd;
    if (q < n && text.charCodeAt(q) === CH_CR) q++;
    if (q < n && text.charCodeAt(q) !== CH_LF) return false;
    // HCL wants the line break right after the marker; the intent is plain, so read it and say so.
    if (blanks && report) this.error(idEnd, q, 'Unexpected spaces after the heredoc marker; the line must end right after it');
    this.heredocMarker = text.slice(idStart, idEnd);
    this.heredocIndent = indent;
    this.type = Tok.Heredoc;
    this.start = p;
    this.end = idEnd;
    // The body starts on the next line; the line break belongs to the heredoc header.
    this.pos = q < n ? q + 1 : n;
    return true;
  }

  // ---- template chunks -------------------------------------------------------------------------------

  /**
   * Scans literal text of a quoted template from `pos` up to the next `"`, `${`, `%{`, line break or end
   * of input, decoding backslash escapes and the `$${` / `%%{` escapes.
   */
  scanQuotedChunk(): Stop {
    const text = this.text;
    const n = this.len;
    const start = this.pos;
    let p = start;
    let seg = start;
    let value = '';
    let stop: Stop;
    for (;;) {
      if (p >= n) {
        stop = Stop.EOF;
        this.stopStart = this.stopEnd = p;
        break;
      }
      const c = text.charCodeAt(p);
      if (c === 34) {
        stop = Stop.Quote;
        this.stopStart = p;
        this.stopEnd = p + 1;
        break;
      }
      if (c === CH_LF || (c === CH_CR && p + 1 < n && text.charCodeAt(p + 1) === CH_LF)) {
        stop = Stop.Newline;
        this.stopStart = this.stopEnd = p;
        break;
      }
      if (c === 92 /* \ */) {
        value += text.slice(seg, p);
        p = this.decodeEscape(p);
        value += this.escapeValue;
        seg = p;
        continue;
      }
      if ((c === 36 || c === 37) && p + 1 < n) {
        const c1 = text.charCodeAt(p + 1);
        if (c1 === 123) {
          stop = c === 36 ? Stop.Interp : Stop.Directive;
          this.markOpen(p);
          break;
        }
        if (c1 === c && p + 2 < n && text.charCodeAt(p + 2) === 123) {
          // `$${` and `%%{` are the escapes for a literal `${` and `%{`.
          value += text.slice(seg, p + 1);
          p += 3;
          value += '{';
          seg = p;
          continue;
        }
      }
      p++;
    }
    this.chunkValue = seg === start ? text.slice(start, p) : value + text.slice(seg, p);
    this.chunkStart = start;
    this.chunkEnd = p;
    this.pos = stop === Stop.Newline || stop === Stop.EOF ? p : this.stopEnd;
    return stop;
  }

  private escapeValue = '';

  private decodeEscape(p: number): number {
    const text = this.text;
    const n = this.len;
    const c = p + 1 < n ? text.charCodeAt(p + 1) : -1;
    switch (c) {
      case 110:
        this.escapeValue = '\n';
        return p + 2;
      case 114:
        this.escapeValue = '\r';
        return p + 2;
      case 116:
        this.escapeValue = '\t';
        return p + 2;
      case 34:
        this.escapeValue = '"';
        return p + 2;
      case 92:
        this.escapeValue = '\\';
        return p + 2;
      case 117 /* u */:
      case 85 /* U */: {
        const digits = c === 117 ? 4 : 8;
        let q = p + 2;
        while (q < p + 2 + digits && q < n && isHex(text.charCodeAt(q))) q++;
        if (q - (p + 2) !== digits) {
          this.error(p, q, `Invalid escape sequence '${text.slice(p, q)}': '\\${c === 117 ? 'u' : 'U'}' needs exactly ${digits} hexadecimal digits`);
          this.escapeValue = text.slice(p, q);
          return q;
        }
        const cp = parseInt(text.slice(p + 2, q), 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          this.error(p, q, `Invalid escape sequence '${text.slice(p, q)}': not a Unicode character`);
          this.escapeValue = text.slice(p, q);
        } else {
          this.escapeValue = String.fromCodePoint(cp);
        }
        return q;
      }
      default:
        if (c === -1 || c === CH_LF || c === CH_CR) {
          // A backslash at the end of the line: the string is unterminated, which the caller reports.
          this.escapeValue = '\\';
          return p + 1;
        }
        this.error(p, p + 2, `Invalid escape sequence '\\${String.fromCharCode(c)}'; use '\\\\' for a literal backslash`);
        this.escapeValue = text.slice(p, p + 2);
        return p + 2;
    }
  }

  /** Records an `${` / `%{` opener (with its optional `~`) as the stop marker. */
  private markOpen(p: number): void {
    this.stopStart = p;
    if (p + 2 < this.len && this.text.charCodeAt(p + 2) === 126) {
      this.stopStrip = true;
      this.stopEnd = p + 3;
    } else {
      this.stopStrip = false;
      this.stopEnd = p + 2;
    }
  }

  /**
   * Scans heredoc text from `pos` up to the end of the line (inclusive), `${`, `%{`, or the closing marker
   * when `lineStart` is set. Heredocs decode `$${` and `%%{` but no backslash escapes.
   */
  scanHeredocChunk(lineStart: boolean): Stop {
    const text = this.text;
    const n = this.len;
    const start = this.pos;
    let p = start;
    if (lineStart) {
      let q = p;
      while (q < n && (text.charCodeAt(q) === CH_SPACE || text.charCodeAt(q) === CH_TAB)) q++;
      const marker = this.heredocMarker;
      if (text.startsWith(marker, q)) {
        let r = q + marker.length;
        if (r <= n) {
          const markerEnd = r;
          while (r < n && (text.charCodeAt(r) === CH_SPACE || text.charCodeAt(r) === CH_TAB || text.charCodeAt(r) === CH_CR)) r++;
          if (r >= n || text.charCodeAt(r) === CH_LF) {
            this.chunkValue = '';
            this.chunkStart = this.chunkEnd = start;
            this.stopStart = q;
            this.stopEnd = markerEnd;
            this.pos = markerEnd;
            return Stop.End;
          }
        }
      }
    }
    let seg = start;
    let value = '';
    let stop: Stop;
    for (;;) {
      if (p >= n) {
        stop = Stop.EOF;
        this.stopStart = this.stopEnd = p;
        break;
      }
      const c = text.charCodeAt(p);
      if (c === CH_LF) {
        p++;
        stop = Stop.LineEnd;
        this.stopStart = this.stopEnd = p;
        break;
      }
      if ((c === 36 || c === 37) && p + 1 < n) {
        const c1 = text.charCodeAt(p + 1);
        if (c1 === 123) {
          stop = c === 36 ? Stop.Interp : Stop.Directive;
          this.markOpen(p);
          break;
        }
        if (c1 === c && p + 2 < n && text.charCodeAt(p + 2) === 123) {
          value += text.slice(seg, p + 1);
          p += 3;
          value += '{';
          seg = p;
          continue;
        }
      }
      p++;
    }
    this.chunkValue = seg === start ? text.slice(start, p) : value + text.slice(seg, p);
    this.chunkStart = start;
    this.chunkEnd = p;
    this.pos = stop === Stop.Interp || stop === Stop.Directive ? this.stopEnd : p;
    return stop;
  }

  /** Scans bare template text (a JSON string's content) from `pos` up to `${`, `%{` or `limit`. */
  scanBareChunk(limit: number): Stop {
    const text = this.text;
    const start = this.pos;
    let p = start;
    let seg = start;
    let value = '';
    let stop: Stop = Stop.End;
    this.stopStart = this.stopEnd = limit;
    while (p < limit) {
      const c = text.charCodeAt(p);
      if ((c === 36 || c === 37) && p + 1 < limit) {
        const c1 = text.charCodeAt(p + 1);
        if (c1 === 123) {
          stop = c === 36 ? Stop.Interp : Stop.Directive;
          this.markOpen(p);
          break;
        }
        if (c1 === c && p + 2 < limit && text.charCodeAt(p + 2) === 123) {
          value += text.slice(seg, p + 1);
          p += 3;
          value += '{';
          seg = p;
          continue;
        }
      }
      p++;
    }
    this.chunkValue = seg === start ? text.slice(start, p) : value + text.slice(seg, p);
    this.chunkStart = start;
    this.chunkEnd = p;
    this.pos = stop === Stop.End ? p : this.stopEnd;
    return stop;
  }

  // ---- recovery ----------------------------------------------------------------------------------------

  /**
   * Skips source text after an error, without recursion, and returns where the parser should resume:
   * at a closing bracket that was opened before `from` (not consumed), at a line break outside any
   * bracket when `stopAtNewline` is set, at a top-level keyword in column 0 (`resource "..."`, the likely
   * start of the next block), or at the end of input. Strings, interpolations, heredocs and comments are
   * stepped over so that brackets inside them do not count.
   */
  skipRaw(from: number, stopAtNewline: boolean): number {
    const text = this.text;
    const n = this.len;
    // Open brackets: 1 = `{`, 2 = `[`, 3 = `(`, 4 = `${` / `%{` inside a quoted string.
    const stack: number[] = [];
    let p = from;
    let inString = false;
    if (this.atLineStart(from) && this.topKeywordAt(from)) return from;
    while (p < n) {
      const c = text.charCodeAt(p);
      if (inString) {
        if (c === 34) {
          inString = false;
          p++;
        } else if (c === 92 && p + 1 < n && text.charCodeAt(p + 1) !== CH_LF) p += 2;
        else if (c === CH_LF) inString = false;
        else if (c === 92) p++;
        else if ((c === 36 || c === 37) && p + 1 < n && text.charCodeAt(p + 1) === 123) {
          stack.push(4);
          inString = false;
          p += 2;
        } else p++;
        continue;
      }
      switch (c) {
        case CH_LF:
          if (stack.length === 0 && stopAtNewline) return p;
          p++;
          if (p > from + 1 && this.topKeywordAt(p)) return p;
          continue;
        case 34:
          inString = true;
          p++;
          continue;
        case 123:
          stack.push(1);
          p++;
          continue;
        case 91:
          stack.push(2);
          p++;
          continue;
        case 40:
          stack.push(3);
          p++;
          continue;
        case 125:
        case 93:
        case 41:
          if (stack.length === 0) return p;
          if (stack.pop() === 4) inString = true;
          p++;
          continue;
        case 35:
          p = this.lineComment(p);
          continue;
        case 47:
          if (p + 1 < n && text.charCodeAt(p + 1) === 47) {
            p = this.lineComment(p);
            continue;
          }
          if (p + 1 < n && text.charCodeAt(p + 1) === 42) {
            p = this.blockComment(p);
            continue;
          }
          p++;
          continue;
        case 60:
          if (p + 1 < n && text.charCodeAt(p + 1) === 60 && this.scanHeredocStart(p, false)) {
            p = this.skipHeredocBody(this.pos);
            continue;
          }
          p++;
          continue;
        default:
          p++;
      }
    }
    return n;
  }

  /** Skips the body of a heredoc whose header was just scanned; returns the offset after its marker. */
  private skipHeredocBody(p: number): number {
    const text = this.text;
    const n = this.len;
    const marker = this.heredocMarker;
    while (p < n) {
      let q = p;
      while (q < n && (text.charCodeAt(q) === CH_SPACE || text.charCodeAt(q) === CH_TAB)) q++;
      let eol = text.indexOf('\n', q);
      if (eol === -1 || eol > n) eol = n;
      if (text.startsWith(marker, q) && text.slice(q + marker.length, eol).trim() === '') return q + marker.length;
      p = eol + 1;
    }
    return n;
  }

  /**
   * Whether a Terraform top-level block starts at `p` in column 0 (`resource "x"`, `locals {`). Used only
   * to resynchronise after an error or an unclosed block: well-formatted configurations never have such
   * a line inside another block.
   */
  topKeywordAt(p: number): boolean {
    const text = this.text;
    const n = this.len;
    const c = p < n ? text.charCodeAt(p) : -1;
    // Cheap first-letter filter: resource, data, module, variable, output, locals, provider, terraform,
    // moved, import, removed, check.
    if (c !== 114 && c !== 100 && c !== 109 && c !== 118 && c !== 111 && c !== 108 && c !== 112 && c !== 116 && c !== 105 && c !== 99) return false;
    let q = p;
    while (q < n && isAsciiIdContinue(text.charCodeAt(q))) q++;
    if (!TOP_KEYWORDS.has(text.slice(p, q))) return false;
    while (q < n && (text.charCodeAt(q) === CH_SPACE || text.charCodeAt(q) === CH_TAB)) q++;
    const d = q < n ? text.charCodeAt(q) : -1;
    return d === 34 || d === 123;
  }
}
