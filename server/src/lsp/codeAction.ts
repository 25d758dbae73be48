/**
 * textDocument/codeAction. Fixes were computed with their findings, so this is a lookup: the fixes of the
 * findings under the requested range as quick fixes, an "ignore" comment, "fix all" for one rule, and the
 * `source.fixAll.privatelinkLens` action for save-time fixing. Nothing is offered for a document that
 * changed since the analysis: the fix's offsets describe the old text.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Fix, LineIndex, TextEdit } from '../engine';
import { toDiagnostic, toWorkspaceEdit, uriToFile } from './convert';
import type { Session } from './session';
import { overlaps, type Snapshot } from './snapshot';

export const FIX_ALL_KIND = 'source.fixAll.privatelinkLens';
const IGNORE_REASON = 'TODO explain why';

export function codeActions(session: Session, params: CodeActionParams): CodeAction[] {
  const snap = session.snapshot;
  const file = uriToFile(params.textDocument.uri);
  if (!snap || !file || !session.isCurrent(file)) return [];
  const index = snap.lineIndex(file);
  if (!index) return [];
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  // A fix may edit other files too; each of them must still be at the analysed text.
  const usable = (fix: Fix) => fix.edits.every((e) => session.isCurrent(e.file));
  const edit = (edits: readonly TextEdit[]) => toWorkspaceEdit(snap, edits, session.editOptions(snap));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const span = { start: index.offset(params.range.start), end: index.offset(params.range.end) };
    const here = snap.findings(file).filter((f) => overlaps(f.location.span, span));
    for (const f of here) {
      const diagnostic = toDiagnostic(snap, f);
      for (const fix of f.fixes) {
        if (!usable(fix)) continue;
        const e = edit(fix.edits);
        if (e) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit: e });
      }
      const ignore = ignoreEdit(snap, index, file, f);
      if (ignore) {
        const e = edit([ignore]);
        if (e) actions.push({ title: `Ignore ${f.ruleId} here`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: e });
      }
    }
    for (const rule of new Set(here.map((f) => f.ruleId))) {
      const fixes = snap
        .findings(file)
        .filter((f) => f.ruleId === rule)
        .map(preferredFix)
        .filter((x): x is Fix => x !== undefined && usable(x));
      if (fixes.length < 2) continue;
      const e = edit(combineFixes(fixes));
      const diagnostics: Diagnostic[] = here.filter((f) => f.ruleId === rule).map((f) => toDiagnostic(snap, f));
      if (e) actions.push({ title: `Fix all ${rule} in this file`, kind: CodeActionKind.QuickFix, diagnostics, edit: e });
    }
  }

  if (wants(FIX_ALL_KIND)) {
    const fixes = snap
      .findings(file)
      .map(preferredFix)
      .filter((x): x is Fix => x !== undefined && usable(x));
    const e = fixes.length > 0 ? edit(combineFixes(fixes)) : undefined;
    if (e) actions.push({ title: 'Fix all PrivateLink problems in this file', kind: FIX_ALL_KIND, edit: e });
  }
  return actions;
}

function preferredFix(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.preferred);
}

/**
 * The edits of several fixes as one change. A fix whose edits collide with edits already taken is left
 * out whole (half a fix is worse than none); the user gets it on the next round. The same edit proposed by
 * two findings (say, one new rule resource that cures both) is applied once.
 */
export function combineFixes(fixes: readonly Fix[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const same = (a: TextEdit, b: TextEdit) => a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
  const inside = (point: number, e: TextEdit) => e.span.start < point && point < e.span.end;
  const collide = (a: TextEdit, b: TextEdit) => {
    if (a.file !== b.file) return false;
    const aInsert = a.span.start === a.span.end;
    const bInsert = b.span.start === b.span.end;
    // Two insertions at one point do not collide: both land, in order.
    if (aInsert && bInsert) return false;
    if (aInsert) return inside(a.span.start, b);
    if (bInsert) return inside(b.span.start, a);
    return a.span.start < b.span.end && b.span.start < a.span.end;
  };
  for (const fix of fixes) {
    const fresh = fix.edits.filter((e) => !taken.some((t) => same(t, e)));
    if (fresh.some((e) => taken.some((t) => collide(t, e)))) continue;
    taken.push(...fresh);
  }
  return taken;
}

/**
 * `# privatelink-lens-ignore <ID> <reason>` on its own line above the finding, indented like that line.
 * HCL and YAML both take `#` comments; JSON has no comments (ignores go in the settings there), and a
 * syntax error cannot be ignored.
 */
function ignoreEdit(snap: Snapshot, index: LineIndex, file: string, f: Finding): TextEdit | undefined {
  if (!/^PL\d{3}$/.test(f.ruleId) || f.location.file !== file) return undefined;
  const text = snap.texts.get(file);
  if (text === undefined || isJson(file, text)) return undefined;
  const lineStart = index.lineStart(f.location.span.start);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { file, span: { start: lineStart, end: lineStart }, newText: `${indent}# privatelink-lens-ignore ${f.ruleId} ${IGNORE_REASON}${eol}` };
}

function isJson(file: string, text: string): boolean {
  if (/\.json$/i.test(file)) return true;
  // A `.template` may hold either CloudFormation syntax; JSON starts with a brace.
  return /\.template$/i.test(file) && text.trimStart().startsWith('{');
}
