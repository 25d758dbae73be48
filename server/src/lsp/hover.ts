/**
 * textDocument/hover: what the finding under the cursor means and how it can be fixed, and for a resource,
 * its place on the PrivateLink paths that run through it, hop by hop.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { RULES_BY_ID, type Finding, type PrivateLinkPath, type Resource, type RuleSummary, type Location } from '../engine';
import { fileToUri, ruleDocUrl, toRange, uriToFile } from './convert';
import { HOP_NAMES, VERDICT_MARK, code, commandLink, escapeMarkdown } from './markdown';
import type { Session } from './session';
import type { Snapshot } from './snapshot';

/** The client-side command that opens the path view; it takes `{ uri, position }`. */
export const SHOW_PATH_COMMAND = 'privatelinkLens.showPath';

export function hover(session: Session, params: HoverParams): Hover | null {
  const snap = session.snapshot;
  const file = uriToFile(params.textDocument.uri);
  // A position in a document that changed since the analysis would land on the wrong text.
  if (!snap || !file || !session.isCurrent(file)) return null;
  const offset = snap.lineIndex(file)?.offset(params.position);
  if (offset === undefined) return null;
  const sections: string[] = [];
  const findings = snap.findingsAt(file, offset);
  for (const f of findings) sections.push(findingSection(f));
  const resource = snap.resourceAt(file, offset);
  if (resource) sections.push(resourceSection(snap, resource, params));
  if (sections.length === 0) return null;
  const hover: Hover = { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
  // The range of the innermost thing described, so the editor highlights what the hover is about.
  const target = findings.length > 0 ? findings[0].location : resource ? { file, span: resource.nameSpan } : undefined;
  if (target) hover.range = toRange(snap, target.file, target.span);
  return hover;
}

function findingSection(f: Finding): string {
  const lines: string[] = [];
  const doc = ruleDocUrl(f.ruleId);
  const id = doc ? `[${f.ruleId}](${doc})` : f.ruleId;
  const name = RULES_BY_ID.get(f.ruleId)?.name;
  lines.push(`**${id}**${name ? ` ${code(name)}` : ''} (${f.severity}): ${escapeMarkdown(f.message)}`);
  const why = RULES_BY_ID.get(f.ruleId)?.why;
  if (why) lines.push('', `*Why:* ${escapeMarkdown(why)}`);
  if (f.fixes.length > 0) {
    lines.push('');
    lines.push(f.fixes.length === 1 ? 'Quick fix:' : 'Quick fixes:');
    for (const fix of f.fixes) lines.push(`- ${escapeMarkdown(fix.title)}${fix.preferred ? ' (preferred)' : ''}`);
  }
  return lines.join('\n');
}

/** A link that opens a place in the workspace (a file URI with a line fragment works in every VS Code hover). */
function placeLink(snap: Snapshot, title: string, loc: Location | undefined): string {
  if (!loc) return code(title);
  const line = toRange(snap, loc.file, loc.span).start.line + 1;
  return `[${escapeMarkdown(title)}](${fileToUri(loc.file)}#L${line})`;
}

/** A security group's effective rules, or the rules a rule resource adds to its group. */
function rulesSection(snap: Snapshot, r: Resource): string[] {
  const lines: string[] = [];
  const list = (title: string, rules: RuleSummary[], none: string) => {
    lines.push('', `${title}:`);
    if (rules.length === 0) lines.push(`- ${none}`);
    for (const rule of rules) lines.push(`- ${escapeMarkdown(rule.text)}${rule.declaredBy !== r.key ? ` (${placeLink(snap, 'rule', rule.location)})` : ''}`);
  };
  const own = snap.result.securityGroups.find((g) => g.key === r.key);
  if (own) {
    list('Effective ingress', own.ingress, 'none: nothing is admitted');
    list('Effective egress', own.egress, r.lang === 'terraform' ? 'none: Terraform removes the default allow-all egress' : 'none');
    for (const why of own.incomplete) lines.push('', `*May be incomplete:* ${escapeMarkdown(why)}`);
    return lines;
  }
  for (const g of snap.result.securityGroups) {
    const added = [...g.ingress.map((x) => ({ ...x, dir: 'ingress' })), ...g.egress.map((x) => ({ ...x, dir: 'egress' }))].filter((x) => x.declaredBy === r.key);
    if (added.length === 0) continue;
    lines.push('', `Adds to ${code(g.label)}:`);
    for (const x of added) lines.push(`- ${x.dir}: ${escapeMarkdown(x.text)}`);
  }
  return lines;
}

function resourceSection(snap: Snapshot, r: Resource, params: HoverParams): string {
  const lines: string[] = [`${code(r.address)} · ${code(r.type)}${r.mode === 'data' ? ' (data source)' : ''}`];
  lines.push(...rulesSection(snap, r));
  const paths = snap.pathsThrough(r.key);
  if (paths.length > 0) {
    lines.push('');
    lines.push(`On ${paths.length} PrivateLink ${paths.length === 1 ? 'path' : 'paths'}:`);
    for (const p of paths) lines.push(...pathLines(snap, p, r.key));
    lines.push('');
    lines.push(commandLink('Show PrivateLink path', SHOW_PATH_COMMAND, [{ uri: params.textDocument.uri, position: params.position }]));
  }
  return lines.join('\n');
}

/** One path as a list item: its verdict, this resource's role(s), every hop with its verdict, and why. */
function pathLines(snap: Snapshot, p: PrivateLinkPath, key: string): string[] {
  const roles = [...new Set(p.hops.filter((h) => h.resource === key).map((h) => HOP_NAMES[h.kind] ?? h.kind))];
  const hops = p.hops
    .map((h) => {
      const name = HOP_NAMES[h.kind] ?? h.kind;
      // The other hops link to where they are written.
      const text = h.resource === key ? `**${name} ${VERDICT_MARK[h.verdict]}**` : `${placeLink(snap, name, h.location)} ${VERDICT_MARK[h.verdict]}`;
      return text;
    })
    .join(' → ');
  const port = p.port ? ` ${escapeMarkdown(p.port)}` : '';
  const out = [`- ${VERDICT_MARK[p.verdict]} **${p.verdict}**${port}, as *${roles.join(', ')}*: ${hops}`];
  for (const h of p.hops) {
    if (h.verdict === 'open') continue;
    for (const reason of h.reasons) out.push(`  - ${HOP_NAMES[h.kind] ?? h.kind} ${code(h.label)}: ${reason.ruleId} ${escapeMarkdown(reason.message)}`);
  }
  return out;
}
