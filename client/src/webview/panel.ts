import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { StatusBar } from '../statusBar';
import { pageHtml } from './html';
import { pathToMermaid, pathToText } from './pathText';
import { isPageMessage } from './protocol';
import type { HopFindingInfo, HopFixInfo, HopLocation, HostMessage, HostNotice, PageMessage, PathInfo, PathScope } from './protocol';

const VIEW_TYPE = 'privatelinkLens.paths';
/** Edits arrive in bursts (diagnostics for several files, then the status); one request answers them all. */
const REFRESH_DEBOUNCE_MS = 150;
/** How long a fix waits for the server to analyse a document it just opened before giving up. */
const ANALYSIS_WAIT_MS = 4000;
/** The files the server analyses; diagnostics for any other file cannot change a path. */
const ANALYSED = /\.(tf|tfvars|json|ya?ml|template)$/i;

/**
 * What the panel shows and how to ask for it again: the command builds it, the panel re-runs it on edits.
 * `title` is read after every load, so a source may name what it found (the resource at a position).
 */
export interface PathSource {
  readonly title: string;
  readonly scope: PathScope;
  /** Rejects with a message meant for the user. */
  load(): Promise<{ paths: PathInfo[]; focus?: string }>;
  log(message: string): void;
}

/**
 * The "PrivateLink path" panel: one per window, reused by every invocation. The page is a locally bundled
 * script (dist/webview/webview.js) under a CSP that allows nothing else, and the data reaches it only as a
 * message, never spliced into the HTML. The panel follows edits: when the server reports new diagnostics
 * or new totals it asks for the same paths again (by resource key, so a resource that moved is still
 * found) and the page redraws only if something changed.
 */
export class PathPanel implements vscode.Disposable {
  private static current: PathPanel | undefined;

  private last: HostMessage = { type: 'loading', title: 'PrivateLink paths' };
  private readonly disposables: vscode.Disposable[] = [];
  private requestSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A refresh was wanted while the panel was hidden; it runs when the panel is shown again. */
  private stale = false;

  /** Shows (creating or revealing) the panel for `source`; hops open in `sourceColumn`, where the user came from. */
  static show(extensionUri: vscode.Uri, sourceColumn: vscode.ViewColumn | undefined, source: PathSource): PathPanel {
    const column = sourceColumn ?? vscode.ViewColumn.One;
    let current = PathPanel.current;
    if (current) {
      current.sourceColumn = column;
      current.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'PrivateLink paths',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        {
          enableScripts: true,
          enableCommandUris: false,
          enableFindWidget: true,
          // The page loads one file, the bundle; nothing else of the extension or the workspace.
          // Only the page bundle's own folder: the webview can load nothing else from the extension.
          localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
        },
      );
      current = PathPanel.current = new PathPanel(panel, extensionUri, column);
    }
    current.source = source;
    current.post({ type: 'loading', title: source.title });
    void current.refresh(true);
    return current;
  }

  private source: PathSource | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private sourceColumn: vscode.ViewColumn,
  ) {
    const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'webview.js')).toString();
    panel.webview.html = pageHtml({ nonce: randomBytes(16).toString('base64'), scriptUri, cspSource: panel.webview.cspSource });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) this.scheduleRefresh();
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.scheme === 'file' && ANALYSED.test(u.path))) this.scheduleRefresh();
      }),
      StatusBar.onDidUpdate(() => this.scheduleRefresh()),
    );
  }

  post(message: HostMessage): void {
    this.last = message;
    this.panel.title = message.title;
    // Before the page has loaded the message is lost; the page's `ready` makes us send `last` again.
    void this.panel.webview.postMessage(message);
  }

  private notice(text: string): void {
    const notice: HostNotice = { type: 'notice', text };
    void this.panel.webview.postMessage(notice);
  }

  dispose(): void {
    if (PathPanel.current === this) PathPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private scheduleRefresh(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh(false);
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Asks again; an answer that arrives after a newer request was made is dropped. */
  private async refresh(first: boolean): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.stale = false;
    const seq = ++this.requestSeq;
    try {
      const { paths, focus } = await source.load();
      if (seq !== this.requestSeq || this.source !== source) return;
      this.post({ type: 'paths', title: source.title, paths, scope: source.scope, ...(focus !== undefined ? { focus } : {}) });
    } catch (err) {
      if (seq !== this.requestSeq || this.source !== source) return;
      const message = err instanceof Error ? err.message : String(err);
      source.log(`refreshing the path view failed: ${message}`);
      // A failed live refresh keeps the last answer on screen: the server may only be restarting.
      if (first || this.last.type !== 'paths') this.post({ type: 'error', title: source.title, message });
    }
  }

  private onMessage(m: unknown): void {
    if (!isPageMessage(m)) return;
    if (m.type === 'ready') {
      void this.panel.webview.postMessage(this.last);
      return;
    }
    const paths: PathInfo[] = this.last.type === 'paths' ? this.last.paths : [];
    const index = paths.findIndex((p) => p.id === m.pathId);
    const path = paths[index];
    if (!path) return;
    run(this.source, this.handle(m, path, index, paths.length));
  }

  private async handle(m: Exclude<PageMessage, { type: 'ready' }>, path: PathInfo, index: number, total: number): Promise<void> {
    switch (m.type) {
      case 'copy': {
        const text = m.format === 'mermaid' ? pathToMermaid(path) : pathToText(path, index, total);
        await vscode.env.clipboard.writeText(text);
        this.notice(m.format === 'mermaid' ? 'Copied the path as Mermaid.' : 'Copied the path as text.');
        return;
      }
      case 'openHop': {
        const location = path.hops[m.hopIndex]?.location;
        if (location) await this.open(location);
        return;
      }
      case 'openFinding': {
        const finding = path.hops[m.hopIndex]?.reasons[m.reasonIndex]?.finding;
        if (finding) await this.open(finding.location);
        return;
      }
      case 'applyFix': {
        const reason = path.hops[m.hopIndex]?.reasons[m.reasonIndex];
        const fix = reason?.finding?.fixes[m.fixIndex];
        if (reason?.finding && fix) await this.applyFix(reason.ruleId, reason.finding, fix);
        return;
      }
    }
  }

  private async open(location: HopLocation): Promise<void> {
    const { start, end } = location.range;
    const selection = new vscode.Range(start.line, start.character, end.line, end.character);
    try {
      await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { viewColumn: this.sourceColumn, selection, preview: true });
    } catch (err) {
      void vscode.window.showErrorMessage(`PrivateLink Lens: cannot open ${location.uri}: ${String(err)}`);
    }
  }

  /**
   * Applies a fix the way the light bulb does: the server is asked for its quick fixes at the finding now,
   * and the one with this title is applied. The server answers only for a document still at the version
   * it analysed, so a fix listed for an older text is refused rather than applied at the wrong offsets.
   */
  private async applyFix(ruleId: string, finding: HopFindingInfo, fix: HopFixInfo): Promise<void> {
    const uri = vscode.Uri.parse(finding.location.uri);
    const { start, end } = finding.location.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    // The code action command works on loaded documents only. Opening one makes the server analyse it
    // again under a version, and until then it offers no fixes for it: wait for those diagnostics.
    const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    const analysed = wasOpen ? undefined : diagnosticsFor(uri, ANALYSIS_WAIT_MS);
    await vscode.workspace.openTextDocument(uri);
    const find = async () => {
      const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      return actions.find((a): a is vscode.CodeAction => isCodeAction(a) && a.title === fix.title && matches(a, ruleId, finding.message));
    };
    let action = await find();
    if (!action && analysed) {
      await analysed;
      action = await find();
    }
    if (!action || (!action.edit && !action.command)) {
      void vscode.window.showWarningMessage(`PrivateLink Lens: "${fix.title}" no longer applies to the current text; the path view has been refreshed.`);
      this.scheduleRefresh();
      return;
    }
    if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
      void vscode.window.showWarningMessage(`PrivateLink Lens: "${fix.title}" could not be applied (the file changed meanwhile?).`);
      return;
    }
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    this.notice(`Applied: ${fix.title}`);
  }
}

function run(source: PathSource | undefined, work: Promise<void>): void {
  work.catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    source?.log(`path view action failed: ${message}`);
    void vscode.window.showErrorMessage(`PrivateLink Lens: ${message}`);
  });
}

function isCodeAction(a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction {
  return typeof (a as vscode.Command).command !== 'string';
}

/**
 * VS Code's code action command does not hand back the actions' diagnostics, so the title identifies the
 * fix; when diagnostics are there (other hosts), they must be this finding's too.
 */
function matches(a: vscode.CodeAction, ruleId: string, message: string): boolean {
  if (!a.diagnostics || a.diagnostics.length === 0) return true;
  return a.diagnostics.some((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)) === ruleId && d.message === message);
}

/** Resolves at the next diagnostics change for `uri`, or after `ms`, whichever comes first. */
function diagnosticsFor(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done();
    });
  });
}
