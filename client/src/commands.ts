import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PathsRequest, ServerCommands } from '../../server/src/shared/protocol';
import type { PathInfo, PathsParams } from '../../server/src/shared/protocol';
import { DOCUMENT_SELECTOR } from './languageClient';
import { PathPanel } from './webview/panel';

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

async function showPath(deps: CommandDeps, arg: unknown): Promise<void> {
  const target = targetOf(arg);
  const title =
    target.kind === 'workspace'
      ? 'PrivateLink paths: workspace'
      : `PrivateLink paths: ${path.posix.basename(target.uri.path)}:${target.position.line + 1}`;
  const panel = PathPanel.show(deps.context.extensionUri, vscode.window.activeTextEditor?.viewColumn);
  const { client } = deps;
  if (!client) {
    panel.post({ type: 'error', title, message: 'The PrivateLink Lens language server is not installed with this build of the extension.' });
    return;
  }
  if (client.state === State.Stopped) {
    panel.post({
      type: 'error',
      title,
      message: 'The PrivateLink Lens language server is not running. Run "PrivateLink Lens: Re-analyse workspace" to start it again.',
    });
    return;
  }
  panel.post({ type: 'loading', title });
  const params: PathsParams =
    target.kind === 'workspace'
      ? {}
      : {
          textDocument: { uri: client.code2ProtocolConverter.asUri(target.uri) },
          position: { line: target.position.line, character: target.position.character },
        };
  try {
    const result = await client.sendRequest(PathsRequest.type, params);
    const paths: PathInfo[] = result && Array.isArray(result.paths) ? result.paths : [];
    panel.post({ type: 'paths', title, paths, scope: target.kind });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.output.appendLine(`[${new Date().toISOString()}] ${PathsRequest.method} failed: ${message}`);
    panel.post({ type: 'error', title, message: `The server could not list the paths: ${message}` });
  }
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
