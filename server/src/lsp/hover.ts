/**
 * textDocument/hover: what the finding under the cursor means and how it can be fixed, and for a resource,
 * its place on the PrivateLink paths that run through it, hop by hop.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { RULES_BY_ID, type Finding, type PrivateLinkPath, type Resource } from '../engine';
import { ruleDocUrl, toRange, uriToFile } from './convert';
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
  if (f.fixes.length > 0) {
    lines.push('');
    lines.push(f.fixes.length === 1 ? 'Quick fix:' : 'Quick fixes:');
    for (const fix of f.fixes) lines.push(`- ${escapeMarkdown(fix.title)}${fix.preferred ? ' (preferred)' : ''}`);
  }
  return lines.join('\n');
}

function resourceSection(snap: Snapshot, r: Resource, params: HoverParams): string {
  const lines: string[] = [`${code(r.address)} · ${code(r.type)}${r.mode === 'data' ? ' (data source)' : ''}`];
  const paths = snap.pathsThrough(r.key);
  if (paths.length > 0) {
    lines.push('');
    lines.push(`On ${paths.length} PrivateLink ${paths.length === 1 ? 'path' : 'paths'}:`);
    for (const p of paths) lines.push(...pathLines(p, r.key));
    lines.push('');
    lines.push(commandLink('Show PrivateLink path', SHOW_PATH_COMMAND, [{ uri: params.textDocument.uri, position: params.position }]));
  }
  return lines.join('\n');
}

/** One path as a list item: its verdict, this resource's role(s), every hop with its verdict, and why. */
function pathLines(p: PrivateLinkPath, key: string): string[] {
  const roles = [...new Set(p.hops.filter((h) => h.resource === key).map((h) => HOP_NAMES[h.kind] ?? h.kind))];
  const hops = p.hops
    .map((h) => {
      const text = `${HOP_NAMES[h.kind] ?? h.kind} ${VERDICT_MARK[h.verdict]}`;
      return h.resource === key ? `**${text}**` : text;
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
