import { existsSync } from 'node:fs';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { DocumentFilter, ErrorHandler, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/**
 * The client id doubles as the settings prefix the language client reads its trace level from
 * (`privatelinkLens.trace.server`), so it must equal the configuration section.
 */
export const CLIENT_ID = 'privatelinkLens';

/**
 * The documents the server sees. YAML and JSON are synced wholesale because a CloudFormation template can
 * have any name; the server recognises templates by content and drops the rest cheaply. Terraform is
 * synced for unsaved (`untitled`) buffers too, so a scratch file is checked as you type.
 */
export const DOCUMENT_SELECTOR: DocumentFilter[] = [
  { scheme: 'file', language: 'terraform' },
  { scheme: 'untitled', language: 'terraform' },
  { scheme: 'file', language: 'terraform-vars' },
  { scheme: 'file', pattern: '**/*.tf.json' },
  { scheme: 'file', pattern: '**/*.tfvars.json' },
  { scheme: 'file', pattern: '**/*.template' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
];

/**
 * Creates (does not start) the language client for dist/server.js, or returns undefined, after saying why
 * in the output channel, when the bundle is missing (a development checkout that was never built).
 */
export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  errorHandler: ErrorHandler,
): LanguageClient | undefined {
  const module = context.asAbsolutePath('dist/server.js');
  if (!existsSync(module)) {
    output.appendLine(`The language server bundle ${module} is missing; run "npm run build" and reload the window.`);
    return undefined;
  }
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // Lets "Attach to server" debug configurations find the server; only used in extension development.
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // Nothing is pushed from here. Settings are pulled by the server (`workspace/configuration`, per
    // folder), which registers for `workspace/didChangeConfiguration` to hear about changes; pushing a
    // section is the deprecated model. File watching is registered by the server as well
    // (`workspace/didChangeWatchedFiles`, glob `**/*.{tf,tf.json,tfvars,tfvars.json,yaml,yml,json,template}`),
    // which works in every LSP client; a second watcher here would deliver each change twice.
    outputChannel: output,
    errorHandler,
    diagnosticCollectionName: 'privatelink-lens',
    progressOnInitialization: true,
    // Hovers may link to "Show PrivateLink path"; trust that command and nothing else.
    markdown: { isTrusted: { enabledCommands: ['privatelinkLens.showPath'] }, supportHtml: false },
  };
  return new LanguageClient(CLIENT_ID, 'PrivateLink Lens', serverOptions, clientOptions);
}
