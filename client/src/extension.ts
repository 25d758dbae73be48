import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification } from '../../server/src/shared/protocol';
import { registerCommands } from './commands';
import { RestartingErrorHandler } from './errorHandler';
import { createLanguageClient } from './languageClient';
import { RestartPolicy } from './restartPolicy';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;
let errorHandler: RestartingErrorHandler | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('PrivateLink Lens');
  const status = new StatusBar();
  context.subscriptions.push(output, status);

  errorHandler = new RestartingErrorHandler(output, new RestartPolicy(), () => {
    status.stopped();
    void vscode.window
      .showErrorMessage('PrivateLink Lens: the language server keeps stopping and will not be restarted.', 'Restart', 'Show output')
      .then((choice) => {
        if (choice === 'Restart') void vscode.commands.executeCommand('privatelinkLens.reanalyze');
        else if (choice === 'Show output') output.show();
      });
  });
  const handler = errorHandler;
  client = createLanguageClient(context, output, handler);
  registerCommands({ context, client, output, beforeManualStart: () => handler.reset() });
  if (!client) {
    status.stopped();
    return;
  }

  context.subscriptions.push(
    client.onNotification(StatusNotification.type, (params) => status.update(params)),
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Starting) status.starting();
      else if (newState === State.Running) status.running();
    }),
  );
  try {
    await client.start();
  } catch (err) {
    // The client has already written the details to the output channel; keep activation itself healthy so
    // the commands stay available (re-analyse starts the server again).
    output.appendLine(`[${new Date().toISOString()}] The server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    status.stopped();
  }
}

export async function deactivate(): Promise<void> {
  errorHandler?.markStopping();
  if (client && client.state !== State.Stopped) await client.stop();
  client = undefined;
}
