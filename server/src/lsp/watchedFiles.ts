/**
 * workspace/didChangeWatchedFiles: the files created, changed or deleted outside the editor's buffers.
 */
import { FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver';
import type { FileEvent } from '../workspace/indexer';
import { uriToFile } from './convert';
import type { Session } from './session';

/** What the server asks a client to watch when the client lets it register watchers itself. */
export const WATCHED_GLOB = '**/*.{tf,tf.json,tfvars,tfvars.json,yaml,yml,json,template}';

export function didChangeWatchedFiles(session: Session, params: DidChangeWatchedFilesParams): Promise<void> {
  const events: FileEvent[] = [];
  for (const c of params.changes) {
    const file = uriToFile(c.uri);
    if (file) events.push({ file, deleted: c.type === FileChangeType.Deleted });
  }
  return events.length > 0 ? session.filesChanged(events) : Promise.resolve();
}
