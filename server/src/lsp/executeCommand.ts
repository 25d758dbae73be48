/**
 * workspace/executeCommand for the commands the server lists (see `ServerCommands` in shared/protocol).
 */
import type { ExecuteCommandParams } from 'vscode-languageserver';
import { ServerCommands } from '../shared/protocol';
import type { Session } from './session';

export const COMMANDS: string[] = Object.values(ServerCommands);

export async function executeCommand(session: Session, params: ExecuteCommandParams): Promise<null> {
  switch (params.command) {
    case ServerCommands.reanalyze:
      // Resolves once the fresh diagnostics have been sent, so a caller can wait on the command.
      await session.reanalyze();
      return null;
    default:
      session.log(`unknown command ${params.command}`);
      return null;
  }
}
