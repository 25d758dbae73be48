import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/shared/protocol';

/**
 * The status bar item: workspace totals from the server's `privatelinkLens/status` notification. It stays
 * hidden until the server has read at least one Terraform or CloudFormation file, because the extension
 * also activates for JSON and YAML workspaces that have nothing to do with AWS; a stopped server is always
 * shown, since then the user has lost the checks and should know.
 */
export class StatusBar implements vscode.Disposable {
  private static readonly updates = new vscode.EventEmitter<StatusParams>();
  /**
   * Every `privatelinkLens/status` the server sends. The path view refreshes on it, and listens here
   * because the language client keeps one handler per notification method: this item's is that one.
   */
  static readonly onDidUpdate = StatusBar.updates.event;

  private readonly item = vscode.window.createStatusBarItem('privatelinkLens.status', vscode.StatusBarAlignment.Left, 10);
  private last: StatusParams | undefined;

  constructor() {
    this.item.name = 'PrivateLink Lens';
  }

  update(status: StatusParams): void {
    this.last = status;
    StatusBar.updates.fire(status);
    const { open, blocked, unknown, files } = status;
    if (files === 0 && open + blocked + unknown === 0) {
      this.item.hide();
      return;
    }
    const parts = [`${open} open`, `${blocked} blocked`];
    if (unknown > 0) parts.push(`${unknown} unknown`);
    const total = open + blocked + unknown;
    this.item.text = total === 0 ? '$(shield) PL no paths' : `$(shield) PL ${parts.join(' \u00b7 ')}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**PrivateLink Lens**\n\n` +
        (total === 0
          ? `No PrivateLink path found in ${plural(files, 'file')}.`
          : `${plural(total, 'path')} across ${plural(files, 'file')}: ${open} open, ${blocked} blocked, ${unknown} unknown.\n\nClick to show every path.`),
    );
    this.item.accessibilityInformation = {
      label: total === 0 ? 'PrivateLink Lens: no paths' : `PrivateLink Lens: ${parts.join(', ')} paths`,
    };
    this.item.backgroundColor = blocked > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { title: 'Show PrivateLink path', command: 'privatelinkLens.showPath', arguments: [{ workspace: true }] };
    this.item.show();
  }

  /** The server is starting (again): keep the last totals on screen but say they may be stale. */
  starting(): void {
    if (!this.last) return;
    this.item.text = '$(sync~spin) PL';
    this.item.tooltip = 'PrivateLink Lens: the language server is starting\u2026';
    this.item.show();
  }

  stopped(): void {
    this.item.text = '$(warning) PL stopped';
    this.item.tooltip = 'PrivateLink Lens: the language server is not running. Click to start it again.';
    this.item.accessibilityInformation = { label: 'PrivateLink Lens: the language server is not running' };
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.command = 'privatelinkLens.reanalyze';
    this.item.show();
  }

  /** Back to the last known totals once the server is up. */
  running(): void {
    if (this.last) this.update(this.last);
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
