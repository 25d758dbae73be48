/**
 * workspace/didChangeConfiguration: the settings are pulled again (the notification's payload is only used
 * by clients that cannot be asked, which push their settings instead).
 */
import type { DidChangeConfigurationParams } from 'vscode-languageserver';
import type { Session } from './session';

export function didChangeConfiguration(session: Session, params: DidChangeConfigurationParams): Promise<void> {
  return session.settingsChanged(params.settings);
}
