import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PathsRequest, ServerCommands } from '../../server/src/shared/protocol';
import type { HopInfo, PathInfo, PathsParams, PathsResult, Verdict } from '../../server/src/shared/protocol';
import { DOCUMENT_SELECTOR } from './languageClient';
import { PathPanel, type PathSource } from './webview/panel';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  /** Undefined when the server bundle is missing; every command then says so instead of failing. */
  client: LanguageClient | undefined;
  output: vscode.OutputChannel;
  /** Called before the user starts a stopped server by hand, so it gets a fresh crash budget. */
  beforeManualStart: () => void;
}

/** What "Show PrivateLink path" was asked about. */
type Target = { kind: 'workspace' } | { kind: 'position'; uri: vscode.Uri; position: vscode.Position };

export function registerCommands(deps: CommandDeps): void {
  deps.context.subscriptions.push(
    vscode.commands.registerCommand('privatelinkLens.showPath', (arg?: unknown) => showPath(deps, arg)),
    vscode.commands.registerCommand('privatelinkLens.reanalyze', () => reanalyze(deps)),
  );
}

/**
 * Works out the target from however the command was invoked: from a CodeLens or a hover link
 * (`{ uri, position }`, plain JSON), from the editor context menu (VS Code passes the document's Uri),
 * from the status bar (`{ workspace: true }`) or from the palette (no argument: the cursor).
 */
function targetOf(arg: unknown): Target {
  const editor = vscode.window.activeTextEditor;
  if (arg instanceof vscode.Uri) {
    const position = editor && editor.document.uri.toString() === arg.toString() ? editor.selection.active : new vscode.Position(0, 0);
    return { kind: 'position', uri: arg, position };
  }
  if (arg && typeof arg === 'object') {
    const r = arg as Record<string, unknown>;
    if (r.workspace === true) return { kind: 'workspace' };
    const uri = typeof r.uri === 'string' ? safeParse(r.uri) : r.uri instanceof vscode.Uri ? r.uri : undefined;
    const p = r.position as Record<string, unknown> | undefined;
    if (uri && p && typeof p.line === 'number' && typeof p.character === 'number' && p.line >= 0 && p.character >= 0) {
      return { kind: 'position', uri, position: new vscode.Position(p.line, p.character) };
    }
  }
  if (editor && vscode.languages.match(DOCUMENT_SELECTOR, editor.document) > 0) {
    return { kind: 'position', uri: editor.document.uri, position: editor.selection.active };
  }
  // Nothing PrivateLink-ish in focus: every path in the workspace is the most useful answer.
  return { kind: 'workspace' };
}

function safeParse(s: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(s, true);
  } catch {
    return undefined;
  }
}

/** The paths request, with a stopped server turned into a message for the user. */
function requester(deps: CommandDeps, client: LanguageClient): (params: PathsParams) => Promise<PathsResult> {
  return async (params) => {
    if (client.state === State.Stopped) {
      throw new Error('The PrivateLink Lens language server is not running. Run "PrivateLink Lens: Re-analyse workspace" to start it again.');
    }
    try {
      const result = await client.sendRequest(PathsRequest.type, params);
      return { paths: result && Array.isArray(result.paths) ? result.paths : [], ...(result?.focus ? { focus: result.focus } : {}) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(deps, `${PathsRequest.method} failed: ${message}`);
      throw new Error(`The server could not list the paths: ${message}`);
    }
  };
}

function log(deps: CommandDeps, message: string): void {
  deps.output.appendLine(`[${new Date().toISOString()}] ${message}`);
}

type Request = (params: PathsParams) => Promise<PathsResult>;

function workspaceSource(deps: CommandDeps, request: Request): PathSource {
  return { title: 'PrivateLink paths: workspace', scope: 'workspace', load: async () => ({ paths: (await request({})).paths }), log: (m) => log(deps, m) };
}

/** The paths through one resource, followed by its key: it is found again after edits move it. */
function resourceSource(deps: CommandDeps, request: Request, key: string, label: string): PathSource {
  return {
    title: `PrivateLink paths: ${label}`,
    scope: 'position',
    load: async () => ({ paths: (await request({ resource: key })).paths, focus: label }),
    log: (m) => log(deps, m),
  };
}

function documentSource(deps: CommandDeps, request: Request, uri: string, name: string): PathSource {
  return { title: `PrivateLink paths: ${name}`, scope: 'position', load: async () => ({ paths: (await request({ textDocument: { uri } })).paths }), log: (m) => log(deps, m) };
}

/**
 * The paths at a position: the first answer says which resource is there, and from then on the source
 * follows that resource by key; on no resource, it follows the whole document (a position would drift as
 * lines are added above it).
 */
function positionSource(deps: CommandDeps, request: Request, uri: string, position: vscode.Position, name: string): PathSource {
  let follow: { key: string; label: string } | 'document' | undefined;
  const source = {
    title: `PrivateLink paths: ${name}:${position.line + 1}`,
    scope: 'position' as const,
    log: (m: string) => log(deps, m),
    load: async () => {
      if (follow === undefined) {
        const first = await request({ textDocument: { uri }, position: { line: position.line, character: position.character } });
        follow = first.focus ? { key: first.focus.resource, label: first.focus.label } : 'document';
        source.title = follow === 'document' ? `PrivateLink paths: ${name}` : `PrivateLink paths: ${follow.label}`;
        return { paths: first.paths, focus: first.focus?.label };
      }
      if (follow === 'document') return { paths: (await request({ textDocument: { uri } })).paths };
      return { paths: (await request({ resource: follow.key })).paths, focus: follow.label };
    },
  };
  return source;
}

function errorSource(deps: CommandDeps, title: string, message: string): PathSource {
  return { title, scope: 'workspace', load: () => Promise.reject(new Error(message)), log: (m) => log(deps, m) };
}

async function showPath(deps: CommandDeps, arg: unknown): Promise<void> {
  // From the palette VS Code passes nothing; every other entry point (CodeLens, hover, context menu,
  // status bar) says what it is about.
  const fromPalette = arg === undefined;
  const target = targetOf(arg);
  const column = vscode.window.activeTextEditor?.viewColumn;
  const show = (source: PathSource) => void PathPanel.show(deps.context.extensionUri, column, source);
  const { client } = deps;
  if (!client) {
    show(errorSource(deps, 'PrivateLink paths', 'The PrivateLink Lens language server is not installed with this build of the extension.'));
    return;
  }
  const request = requester(deps, client);
  if (!fromPalette) {
    if (target.kind === 'workspace') show(workspaceSource(deps, request));
    else show(positionSource(deps, request, client.code2ProtocolConverter.asUri(target.uri), target.position, path.posix.basename(target.uri.path)));
    return;
  }
  // From the palette: the resource under the cursor if it is on a path, otherwise let the user pick one.
  let here: { uri: string; name: string; result: PathsResult } | undefined;
  if (target.kind === 'position') {
    const uri = client.code2ProtocolConverter.asUri(target.uri);
    const name = path.posix.basename(target.uri.path);
    try {
      const result = await request({ textDocument: { uri }, position: { line: target.position.line, character: target.position.character } });
      if (result.focus && result.paths.length > 0) {
        show(resourceSource(deps, request, result.focus.resource, result.focus.label));
        return;
      }
      here = { uri, name, result };
    } catch (err) {
      show(errorSource(deps, `PrivateLink paths: ${name}`, err instanceof Error ? err.message : String(err)));
      return;
    }
  }
  let all: PathsResult;
  try {
    all = await request({});
  } catch (err) {
    show(errorSource(deps, 'PrivateLink paths', err instanceof Error ? err.message : String(err)));
    return;
  }
  if (all.paths.length === 0) {
    // Nothing to pick from: the workspace view explains why there is no path.
    show(workspaceSource(deps, request));
    return;
  }
  const choice = await pickTarget(all.paths, here);
  if (!choice) return;
  if (choice.kind === 'workspace') show(workspaceSource(deps, request));
  else if (choice.kind === 'document' && here) show(documentSource(deps, request, here.uri, here.name));
  else if (choice.kind === 'resource') show(resourceSource(deps, request, choice.key, choice.label));
}

type Choice = { kind: 'workspace' } | { kind: 'document' } | { kind: 'resource'; key: string; label: string };

const PICKABLE: { kind: HopInfo['kind']; icon: string; name: string }[] = [
  { kind: 'endpoint', icon: '$(plug)', name: 'Interface endpoint' },
  { kind: 'endpointService', icon: '$(cloud)', name: 'Endpoint service' },
  { kind: 'nlb', icon: '$(server-environment)', name: 'Network Load Balancer' },
];

/** Endpoints, endpoint services and NLBs on at least one path, with their paths' verdicts. */
async function pickTarget(paths: readonly PathInfo[], here: { name: string; result: PathsResult } | undefined): Promise<Choice | undefined> {
  const found = new Map<string, { kind: HopInfo['kind']; label: string; group?: string; verdicts: Verdict[] }>();
  for (const p of paths) {
    for (const h of p.hops) {
      if (!h.resource || !PICKABLE.some((k) => k.kind === h.kind)) continue;
      const entry = found.get(h.resource) ?? { kind: h.kind, label: h.label, group: h.group, verdicts: [] };
      entry.verdicts.push(p.verdict);
      found.set(h.resource, entry);
    }
  }
  type Item = vscode.QuickPickItem & { choice?: Choice };
  const items: Item[] = [{ label: '$(list-flat) Every path in the workspace', description: counts(paths.map((p) => p.verdict)), choice: { kind: 'workspace' } }];
  if (here && here.result.paths.length > 0) {
    items.push({ label: `$(file) The paths of ${here.name}`, description: counts(here.result.paths.map((p) => p.verdict)), choice: { kind: 'document' } });
  }
  for (const k of PICKABLE) {
    const entries = [...found.entries()].filter(([, e]) => e.kind === k.kind).sort((a, b) => a[1].label.localeCompare(b[1].label));
    if (entries.length === 0) continue;
    items.push({ label: `${k.name}s`, kind: vscode.QuickPickItemKind.Separator });
    for (const [key, e] of entries) {
      items.push({ label: `${k.icon} ${e.label}`, description: counts(e.verdicts), detail: e.group, choice: { kind: 'resource', key, label: e.label } });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Show PrivateLink path',
    placeHolder: here ? `No resource on a path at the cursor in ${here.name}: pick what to show` : 'Pick an endpoint, endpoint service or load balancer',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.choice;
}

function counts(verdicts: readonly Verdict[]): string {
  const n = (v: Verdict) => verdicts.filter((x) => x === v).length;
  const parts = (['open', 'blocked', 'unknown'] as const).filter((v) => n(v) > 0).map((v) => `${n(v)} ${v}`);
  return `${verdicts.length} ${verdicts.length === 1 ? 'path' : 'paths'}: ${parts.join(', ')}`;
}

async function reanalyze(deps: CommandDeps): Promise<void> {
  const { client, output } = deps;
  if (!client) {
    void vscode.window.showErrorMessage('PrivateLink Lens: the language server is not installed with this build of the extension.');
    return;
  }
  try {
    // The same command brings back a server that crashed too often, which is what a user who sees stale
    // results reaches for first.
    if (client.state === State.Stopped) {
      deps.beforeManualStart();
      output.appendLine(`[${new Date().toISOString()}] Starting the server on request.`);
      await client.start();
      return;
    }
    await client.start(); // resolves at once when running; waits when still starting
    const commands = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    if (!commands.includes(ServerCommands.reanalyze)) {
      // A server without the command still re-reads everything when it starts.
      output.appendLine(`[${new Date().toISOString()}] The server has no ${ServerCommands.reanalyze} command; restarting it instead.`);
      await client.restart();
      return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'PrivateLink Lens: re-analysing' }, () =>
      client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.reanalyze, arguments: [] }),
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.appendLine(`[${new Date().toISOString()}] Re-analysis failed: ${message}`);
    void vscode.window.showErrorMessage(`PrivateLink Lens: re-analysis failed: ${message}`);
  }
}
