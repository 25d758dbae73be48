/**
 * Helpers for the extension-host tests: they run inside VS Code (desktop, or code-server through
 * scripts/e2e/vscode-in-code-server.mjs) with the `vscode` API, on a copy of examples/ that
 * .vscode-test.mjs prepares. Every wait is on a VS Code event with a deadline that fails with what was
 * seen instead, never a fixed sleep.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'privatelink-lens.privatelink-lens';
export const WAIT_MS = 30_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder (a copy of examples/, see .vscode-test.mjs)');
  return folder.uri;
}

export function fileIn(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** The rule id of a diagnostic, whether the server sent `code` as a string or as `{ value, target }`. */
export function ruleOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const ds = vscode.languages.getDiagnostics(uri);
  if (ds.length === 0) return '(no diagnostics)';
  return ds.map((d) => `${ruleOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('\n  ');
}

/**
 * Resolves with `probe()`'s first truthy value, checked now and after every firing of `events`; rejects
 * after `ms` with `what` and `describe()` of the last state.
 */
export function waitFor<T>(what: string, probe: () => T | undefined | null | false, events: vscode.Event<unknown>[], describe: () => string, ms = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (fn: () => void) => {
      clearTimeout(timer);
      for (const s of subs.splice(0)) s.dispose();
      fn();
    };
    const check = () => {
      let value: T | undefined | null | false;
      try {
        value = probe();
      } catch (err) {
        done(() => reject(err));
        return;
      }
      if (value) done(() => resolve(value as T));
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; last state:\n  ${describe()}`))), ms);
    for (const e of events) subs.push(e(check));
    check();
  });
}

/** Waits until the diagnostics of `uri` satisfy `probe`, and returns what it returned. */
export function waitForDiagnostics<T>(uri: vscode.Uri, what: string, probe: (ds: vscode.Diagnostic[]) => T | undefined | null | false, ms = WAIT_MS): Promise<T> {
  return waitFor(`${what} in ${vscode.workspace.asRelativePath(uri)}`, () => probe(vscode.languages.getDiagnostics(uri)), [vscode.languages.onDidChangeDiagnostics], () => describeDiagnostics(uri), ms);
}

/** The position of the first occurrence of `needle` in `text`, which must be there. */
export function positionOf(doc: vscode.TextDocument, needle: string): vscode.Position {
  const at = doc.getText().indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in ${doc.uri.fsPath}`);
  return doc.positionAt(at);
}

/** Hover contents as plain strings (markdown source for MarkdownStrings). */
export function hoverText(hovers: vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? []) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else parts.push(c.value);
    }
  }
  return parts.join('\n---\n');
}

export function isCodeAction(a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction {
  return typeof (a as vscode.Command).command !== 'string';
}

export function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

export function describeTabs(): string {
  return allTabs()
    .map((t) => `${t.label} (${t.input instanceof vscode.TabInputWebview ? `webview ${t.input.viewType}` : t.input instanceof vscode.TabInputText ? 'text' : 'other'})`)
    .join(', ') || '(no tabs)';
}
