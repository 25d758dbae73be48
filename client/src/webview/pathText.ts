/**
 * Words and plain-text renderings of a path, shared by the page (which shows them) and the extension host
 * (which copies them to the clipboard from its own copy of the data). No DOM and no `vscode` here: this
 * file is bundled into both.
 */
import type { HopInfo, PathInfo } from './protocol';

export type Verdict = PathInfo['verdict'];

export const VERDICT_WORDS: Record<Verdict, string> = { open: 'Open', blocked: 'Blocked', unknown: 'Unknown' };

export const HOP_KINDS: Record<HopInfo['kind'], string> = {
  client: 'Client',
  clientSg: 'Client security group',
  endpointSg: 'Endpoint security group',
  endpoint: 'Interface endpoint',
  endpointService: 'Endpoint service',
  nlbSg: 'Load balancer security group',
  nlb: 'Network Load Balancer',
  listener: 'Listener',
  targetGroup: 'Target group',
  targetSg: 'Target security group',
  target: 'Target',
};

/** Whatever arrived, one of the three verdicts: the page must draw even a malformed message. */
export function verdictOf(v: unknown): Verdict {
  return v === 'open' || v === 'blocked' || v === 'unknown' ? v : 'unknown';
}

export function kindName(kind: unknown): string {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(HOP_KINDS, kind) ? HOP_KINDS[kind as HopInfo['kind']] : String(kind);
}

/**
 * A name from the user's files on one line: a resource or tag can hold a newline, which in a copied ticket
 * would forge a line of its own, so control characters become spaces.
 */
export function oneLine(s: unknown): string {
  return String(s ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

export function hopsOf(path: PathInfo): HopInfo[] {
  return Array.isArray(path.hops) ? path.hops : [];
}

/** The first hop that stops the traffic, if any. */
export function firstBlocked(path: PathInfo): { hop: HopInfo; index: number } | undefined {
  const hops = hopsOf(path);
  const index = hops.findIndex((h) => verdictOf(h.verdict) === 'blocked');
  return index < 0 ? undefined : { hop: hops[index], index };
}

/** `aws_instance.app → aws_instance.api`: the two ends, which is how people tell paths apart. */
export function pathEnds(path: PathInfo): string {
  const hops = hopsOf(path);
  if (hops.length === 0) return '(no hops)';
  const first = hops[0];
  const last = hops[hops.length - 1];
  return hops.length === 1 ? oneLine(first.label) : `${oneLine(first.label)} \u2192 ${oneLine(last.label)}`;
}

/** One sentence on a path: its verdict and, when blocked, where. */
export function pathSentence(path: PathInfo): string {
  const verdict = verdictOf(path.verdict);
  const port = path.port ? ` on ${oneLine(path.port)}` : '';
  const blocked = firstBlocked(path);
  if (verdict === 'blocked' && blocked) {
    const count = hopsOf(path).filter((h) => verdictOf(h.verdict) === 'blocked').length;
    const more = count > 1 ? ` and ${count - 1} more ${count - 1 === 1 ? 'hop' : 'hops'}` : '';
    return `Blocked${port} at hop ${blocked.index + 1}, ${kindName(blocked.hop.kind)} ${oneLine(blocked.hop.label)}${more}.`;
  }
  if (verdict === 'unknown') return `Cannot be decided from the code${port}: see the hops marked unknown.`;
  return `Open${port}: every hop lets the traffic through.`;
}

/** Where a hop runs, as one phrase: `consumer · aws, VPC aws_vpc.consumer`. */
export function placeOf(hop: HopInfo): string | undefined {
  const parts: string[] = [];
  if (typeof hop.group === 'string' && hop.group) parts.push(oneLine(hop.group));
  if (typeof hop.vpc === 'string' && hop.vpc) parts.push(`VPC ${oneLine(hop.vpc)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * The path as plain text, for screen readers and for pasting into a ticket: one numbered line per hop with
 * its verdict in words, then its ports, place, findings and fixes indented below.
 */
export function pathToText(path: PathInfo, index = 0, total = 1): string {
  const lines: string[] = [];
  const port = path.port ? ` (${oneLine(path.port)})` : '';
  lines.push(`PrivateLink path ${index + 1} of ${total}${port}: ${VERDICT_WORDS[verdictOf(path.verdict)].toUpperCase()}`);
  lines.push(pathSentence(path));
  hopsOf(path).forEach((hop, i) => {
    lines.push(`${i + 1}. [${VERDICT_WORDS[verdictOf(hop.verdict)].toUpperCase()}] ${kindName(hop.kind)}: ${oneLine(hop.label)}`);
    const details: string[] = [];
    if (hop.ports) details.push(`ports ${oneLine(hop.ports)}`);
    const place = placeOf(hop);
    if (place) details.push(place);
    if (details.length > 0) lines.push(`   ${details.join('; ')}`);
    for (const r of Array.isArray(hop.reasons) ? hop.reasons : []) {
      lines.push(`   ${oneLine(r.ruleId)}: ${oneLine(r.message)}`);
      for (const fix of r.finding?.fixes ?? []) lines.push(`     Fix: ${oneLine(fix.title)}`);
    }
  });
  return lines.join('\n');
}

/**
 * Text inside a quoted Mermaid label. Mermaid decodes `#name;` and `#123;` entities in labels, so `#` itself
 * is encoded first; quotes, angle brackets, ampersands, backticks (markdown strings) and pipes (edge labels)
 * become entities, so a name can neither end the label nor reach Mermaid's HTML.
 */
export function mermaidText(s: unknown): string {
  return oneLine(s).replace(/[#"<>&`|[\]{}]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * The path as a Mermaid flowchart, left to right, grouped by account scope and VPC like the drawing, with
 * the verdict in each node's text (not only in its colour).
 */
export function pathToMermaid(path: PathInfo): string {
  const hops = hopsOf(path);
  const lines = ['flowchart LR'];
  const node = (hop: HopInfo, i: number) => {
    const verdict = VERDICT_WORDS[verdictOf(hop.verdict)];
    const ports = hop.ports ? `<br/>${mermaidText(hop.ports)}` : '';
    return `h${i}["${mermaidText(verdict)}: ${mermaidText(kindName(hop.kind))}<br/>${mermaidText(hop.label)}${ports}"]`;
  };
  // Consecutive hops in the same place share a subgraph; the ids are ours, only the titles are the user's.
  let i = 0;
  let groupCount = 0;
  while (i < hops.length) {
    const group = typeof hops[i].group === 'string' ? hops[i].group : undefined;
    let end = i;
    while (end + 1 < hops.length && hops[end + 1].group === group) end++;
    const indent = group ? '    ' : '  ';
    if (group) lines.push(`  subgraph g${groupCount++}["${mermaidText(group)}"]`);
    let j = i;
    while (j <= end) {
      const vpc = typeof hops[j].vpc === 'string' ? hops[j].vpc : undefined;
      let vEnd = j;
      while (vEnd + 1 <= end && hops[vEnd + 1].vpc === vpc) vEnd++;
      if (vpc) lines.push(`${indent}subgraph g${groupCount++}["VPC ${mermaidText(vpc)}"]`);
      for (let k = j; k <= vEnd; k++) lines.push(`${indent}${vpc ? '  ' : ''}${node(hops[k], k)}`);
      if (vpc) lines.push(`${indent}end`);
      j = vEnd + 1;
    }
    if (group) lines.push('  end');
    i = end + 1;
  }
  for (let k = 1; k < hops.length; k++) lines.push(`  h${k - 1} --> h${k}`);
  lines.push('  classDef open stroke:#2e7d32,stroke-width:2px');
  lines.push('  classDef blocked stroke:#c62828,stroke-width:3px,stroke-dasharray:4 2');
  lines.push('  classDef unknown stroke:#b26a00,stroke-width:2px,stroke-dasharray:2 2');
  for (const v of ['open', 'blocked', 'unknown'] as const) {
    const ids = hops.map((h, k) => (verdictOf(h.verdict) === v ? `h${k}` : undefined)).filter((x): x is string => x !== undefined);
    if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${v}`);
  }
  return lines.join('\n');
}
