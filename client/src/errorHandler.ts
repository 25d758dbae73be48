import type { OutputChannel } from 'vscode';
import { CloseAction, ErrorAction } from 'vscode-languageclient/node';
import type { CloseHandlerResult, ErrorHandler, ErrorHandlerResult, Message } from 'vscode-languageclient/node';
import { RestartPolicy } from './restartPolicy';

/**
 * Restarts a crashed server with a growing delay (see RestartPolicy) and writes what happens to the output
 * channel. The language client awaits `closed()`, so waiting inside it is how the back-off is applied.
 */
export class RestartingErrorHandler implements ErrorHandler {
  private stopping = false;

  constructor(
    private readonly output: OutputChannel,
    private readonly policy: RestartPolicy,
    /** Called when the policy gives up, so the user can be told once, with a way to start again. */
    private readonly onGaveUp: () => void,
  ) {}

  /** From now on a closed connection is expected (the extension is deactivating): never restart. */
  markStopping(): void {
    this.stopping = true;
  }

  /** A manual start clears the crash history. */
  reset(): void {
    this.stopping = false;
    this.policy.reset();
  }

  error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    // A few write errors can be transient (the server is busy); a stream of them means the pipe is gone.
    if (count !== undefined && count <= 3) {
      this.log(`Connection error (${count}): ${error.message}`);
      return { action: ErrorAction.Continue, handled: true };
    }
    this.log(`Connection keeps failing (${error.message}); shutting the server down.`);
    this.onGaveUp();
    return { action: ErrorAction.Shutdown, handled: true };
  }

  async closed(): Promise<CloseHandlerResult> {
    if (this.stopping) return { action: CloseAction.DoNotRestart, handled: true };
    const decision = this.policy.onCrash(Date.now());
    const minutes = Math.round(this.policy.windowMs / 60000);
    if (!decision.restart) {
      this.log(
        `The server stopped unexpectedly ${decision.crashes} times in ${minutes} minutes; it will not be restarted. ` +
          'Run "PrivateLink Lens: Re-analyse workspace" to start it again.',
      );
      this.onGaveUp();
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.log(
      `The server stopped unexpectedly (${decision.crashes} of ${this.policy.maxRestarts} restarts allowed in ${minutes} minutes); ` +
        `restarting in ${(decision.delayMs / 1000).toFixed(1)} s.`,
    );
    await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    // Deactivation may have begun while we waited.
    if (this.stopping) return { action: CloseAction.DoNotRestart, handled: true };
    return { action: CloseAction.Restart, handled: true };
  }

  private log(message: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${message}`);
  }
}
