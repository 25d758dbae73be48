import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isPageMessage } from './protocol';
import type { HostMessage, PathInfo } from './protocol';

const VIEW_TYPE = 'privatelinkLens.paths';

/**
 * The "PrivateLink path" panel: one per window, reused by every invocation. The page is a locally bundled
 * script (dist/webview.js) under a CSP that allows nothing else, and the data reaches it only as a
 * message, never spliced into the HTML.
 */
export class PathPanel implements vscode.Disposable {
  private static current: PathPanel | undefined;

  private last: HostMessage = { type: 'loading', title: 'PrivateLink paths' };
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows (creating or revealing) the panel; hops open in `sourceColumn`, where the user came from. */
  static show(extensionUri: vscode.Uri, sourceColumn: vscode.ViewColumn | undefined): PathPanel {
    const column = sourceColumn ?? vscode.ViewColumn.One;
    if (PathPanel.current) {
      PathPanel.current.sourceColumn = column;
      PathPanel.current.panel.reveal(undefined, true);
      return PathPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      'PrivateLink paths',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableFindWidget: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
      },
    );
    PathPanel.current = new PathPanel(panel, extensionUri, column);
    return PathPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private sourceColumn: vscode.ViewColumn,
  ) {
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  post(message: HostMessage): void {
    this.last = message;
    this.panel.title = message.title;
    // Before the page has loaded the message is lost; the page's `ready` makes us send `last` again.
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (PathPanel.current === this) PathPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private onMessage(m: unknown): void {
    if (!isPageMessage(m)) return;
    if (m.type === 'ready') {
      void this.panel.webview.postMessage(this.last);
      return;
    }
    const paths: PathInfo[] = this.last.type === 'paths' ? this.last.paths : [];
    const location = paths.find((p) => p.id === m.pathId)?.hops[m.hopIndex]?.location;
    if (!location) return;
    const { start, end } = location.range;
    const selection = new vscode.Range(start.line, start.character, end.line, end.character);
    vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { viewColumn: this.sourceColumn, selection, preview: true }).then(
      undefined,
      (err: unknown) => void vscode.window.showErrorMessage(`PrivateLink Lens: cannot open ${location.uri}: ${String(err)}`),
    );
  }
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString();
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>PrivateLink paths</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main id="root" aria-busy="true"><p>Loading\u2026</p></main>
<noscript><p>This view needs scripts, which VS Code enables for it; reopen the panel.</p></noscript>
<script nonce="${nonce}" src="${attr(script)}"></script>
</body>
</html>`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// Theme variables keep the panel readable in light, dark and high-contrast themes without knowing which.
const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.3em; font-weight: 600; }
h2 { font-size: 1.1em; font-weight: 600; display: flex; gap: 0.6em; align-items: baseline; margin: 0 0 0.4em; }
.status.error { color: var(--vscode-errorForeground); }
ol.paths { list-style: none; padding: 0; }
li.path { border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); border-radius: 4px; padding: 8px 12px; margin: 0 0 12px; }
ol.hops { padding-left: 1.6em; margin: 0; }
li.hop { margin: 4px 0; }
.hop-head { display: flex; gap: 0.6em; align-items: baseline; font: inherit; color: inherit; background: none; border: none; padding: 2px 4px; text-align: left; border-radius: 3px; }
button.hop-head { cursor: pointer; }
button.hop-head:hover { background: var(--vscode-list-hoverBackground); }
button.hop-head:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
button.hop-head .label { color: var(--vscode-textLink-foreground); text-decoration: underline; }
.kind { color: var(--vscode-descriptionForeground); }
.label, .rule, .port { font-family: var(--vscode-editor-font-family); }
.verdict { display: inline-flex; gap: 0.3em; font-weight: 600; min-width: 6.5em; }
.verdict-open { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.verdict-blocked { color: var(--vscode-errorForeground); }
.verdict-unknown { color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
ul.reasons { margin: 2px 0 6px; padding-left: 8.5em; }
.rule { font-weight: 600; }
`;
