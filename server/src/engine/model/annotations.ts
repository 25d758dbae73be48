import type { Annotation } from './resource';
import type { Span } from './span';

/**
 * Reads one comment for the tool's declarations. Both languages call this, so the syntax is the same in
 * HCL (`#`, `//`, `/* *\/`) and YAML (`#`):
 *   privatelink-lens-ignore PL031 the NLB is internet facing on purpose
 *   privatelink-lens: service = ../provider/main.tf#aws_vpc_endpoint_service.this
 *   privatelink-lens: cidr 10.20.0.0/16
 * `privatelink:` is accepted as a short form of `privatelink-lens:`.
 */
export function parseAnnotation(commentText: string, span: Span): Annotation | undefined {
  const text = commentText.replace(/^\s*(#|\/\/|\/\*)\s*/, '').replace(/\*\/\s*$/, '').trim();
  const ignore = /^privatelink-lens-ignore\s+(PL\d{3}|[A-Za-z-]+)\b\s*(.*)$/i.exec(text);
  if (ignore) return { kind: 'ignore', value: ignore[1].toUpperCase(), reason: ignore[2] || undefined, span };
  const decl = /^privatelink(?:-lens)?\s*:\s*(.*)$/i.exec(text);
  if (!decl) return undefined;
  const body = decl[1].trim();
  const link = /^(?:service|uses)\s*=?\s*(\S+)/i.exec(body);
  if (link) return { kind: 'link', value: link[1], span };
  const cidr = /^cidr\s*=?\s*([0-9a-fA-F:.]+\/\d{1,3})/i.exec(body);
  if (cidr) return { kind: 'cidr', value: cidr[1], span };
  return undefined;
}

/**
 * The annotations that belong to a resource: comments inside its span, and the run of comment lines
 * directly above it (nothing but whitespace between them and the resource).
 */
export function annotationsFor(
  text: string,
  comments: readonly { text: string; span: Span }[],
  resourceSpan: Span,
): Annotation[] {
  const out: Annotation[] = [];
  let boundary = resourceSpan.start;
  // Walk backwards over comments that end right above the resource, allowing only whitespace between.
  const above: { text: string; span: Span }[] = [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i];
    if (c.span.end > boundary) continue;
    if (text.slice(c.span.end, boundary).trim() !== '') break;
    // A comment that ends another line of code (`} # note`) belongs to that line, not to what follows.
    const lineStart = text.lastIndexOf('\n', c.span.start - 1) + 1;
    if (text.slice(lineStart, c.span.start).trim() !== '') break;
    above.push(c);
    boundary = c.span.start;
  }
  for (const c of above.reverse()) {
    const a = parseAnnotation(c.text, c.span);
    if (a) out.push(a);
  }
  for (const c of comments) {
    if (c.span.start >= resourceSpan.start && c.span.end <= resourceSpan.end) {
      const a = parseAnnotation(c.text, c.span);
      if (a) out.push(a);
    }
  }
  return out;
}
