/**
 * The PrivateLink Lens language server: connection and wiring. `createConnection` picks the transport from
 * argv (`--stdio`, `--node-ipc`, `--socket=`); the behaviour lives in lsp/ and workspace/.
 */
import { createConnection, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PathsRequest } from './shared/protocol';
import { codeActions } from './lsp/codeAction';
import { codeLenses } from './lsp/codeLens';
import { didChangeConfiguration } from './lsp/configuration';
import { definition } from './lsp/definition';
import { executeCommand } from './lsp/executeCommand';
import { hover } from './lsp/hover';
import { initialize, initialized } from './lsp/initialize';
import { paths } from './lsp/paths';
import { safe } from './lsp/safe';
import { Session } from './lsp/session';
import { didChangeWatchedFiles } from './lsp/watchedFiles';
import { didChangeWorkspaceFolders } from './lsp/workspaceFolders';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const session = new Session(connection, documents);

connection.onInitialize((params) => initialize(session, params));
connection.onInitialized(
  safe(session, 'initialized', undefined, async () => {
    if (session.support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(safe(session, 'workspace/didChangeWorkspaceFolders', undefined, (e) => didChangeWorkspaceFolders(session, e)));
    }
    await initialized(session);
  }),
);

documents.onDidOpen(safe(session, 'textDocument/didOpen', undefined, (e) => session.documentOpened(e.document)));
documents.onDidChangeContent(safe(session, 'textDocument/didChange', undefined, (e) => session.documentChanged(e.document)));
documents.onDidClose(safe(session, 'textDocument/didClose', undefined, (e) => session.documentClosed(e.document)));
documents.listen(connection);

connection.onDidChangeWatchedFiles(safe(session, 'workspace/didChangeWatchedFiles', undefined, (p) => didChangeWatchedFiles(session, p)));
connection.onDidChangeConfiguration(safe(session, 'workspace/didChangeConfiguration', undefined, (p) => didChangeConfiguration(session, p)));
connection.onHover(safe(session, 'textDocument/hover', null, (p) => hover(session, p)));
connection.onCodeAction(safe(session, 'textDocument/codeAction', [], (p) => codeActions(session, p)));
connection.onCodeLens(safe(session, 'textDocument/codeLens', [], (p) => codeLenses(session, p)));
connection.onDefinition(safe(session, 'textDocument/definition', null, (p) => definition(session, p)));
connection.onExecuteCommand(safe(session, 'workspace/executeCommand', null, (p) => executeCommand(session, p)));
connection.onRequest(PathsRequest.type, safe(session, PathsRequest.method, { paths: [] }, (p) => paths(session, p)));

// A stray rejection or exception somewhere in a callback is logged; the editor keeps its server.
process.on('unhandledRejection', (e) => session.error('unhandled rejection', e));
process.on('uncaughtException', (e) => session.error('uncaught exception', e));

connection.listen();
