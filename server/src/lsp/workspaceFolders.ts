/**
 * workspace/didChangeWorkspaceFolders: index added folders, forget removed ones.
 */
import type { WorkspaceFoldersChangeEvent } from 'vscode-languageserver';
import type { Session } from './session';

export function didChangeWorkspaceFolders(session: Session, event: WorkspaceFoldersChangeEvent): Promise<void> {
  return session.foldersChanged(event.added, event.removed);
}
