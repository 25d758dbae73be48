/**
 * initialize and initialized: what the server can do, then the registrations that need the client's
 * consent and the first indexing of the workspace.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { CONFIGURATION_SECTION } from '../shared/protocol';
import { FIX_ALL_KIND } from './codeAction';
import { COMMANDS } from './executeCommand';
import type { Session } from './session';
import { WATCHED_GLOB } from './watchedFiles';

export function initialize(session: Session, params: InitializeParams): InitializeResult {
  session.initialize(params);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      definitionProvider: true,
      executeCommandProvider: { commands: COMMANDS },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'privatelink-lens' },
  };
}

export function initialized(session: Session): Promise<void> {
  const { connection, support } = session;
  // Registrations are not awaited: indexing need not wait for the client to answer them.
  if (support.configurationChangeRegistration) {
    // With pulled settings, the client sends didChangeConfiguration only to servers that registered for it.
    connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIGURATION_SECTION }).catch((e) => session.error('cannot register for configuration changes', e));
  }
  if (support.watchedFilesRegistration) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_GLOB }] })
      .catch((e) => session.error('cannot register file watchers', e));
  }
  return session.start();
}
