/**
 * Decides whether to restart the language server after it dies, and after how long. Kept free of
 * `vscode` so the policy can be tested with plain node: the error handler in errorHandler.ts only asks it.
 *
 * A server that crashes on some input will crash again on the same input, so restarting at once in a
 * loop would burn CPU and spam the output; the delay doubles with every crash inside the window, and after
 * `maxRestarts` crashes inside the window the policy gives up until someone restarts the server by hand.
 */
export interface RestartPolicyOptions {
  maxRestarts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RestartDecision {
  restart: boolean;
  /** How long to wait before restarting; 0 when not restarting. */
  delayMs: number;
  /** Crashes inside the window, this one included. */
  crashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxRestarts: 5,
  windowMs: 3 * 60 * 1000,
  baseDelayMs: 500,
  maxDelayMs: 8000,
};

export class RestartPolicy {
  private crashTimes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  onCrash(now: number): RestartDecision {
    this.crashTimes = this.crashTimes.filter((t) => now - t < this.options.windowMs);
    this.crashTimes.push(now);
    const crashes = this.crashTimes.length;
    if (crashes > this.options.maxRestarts) return { restart: false, delayMs: 0, crashes };
    const delayMs = Math.min(this.options.baseDelayMs * 2 ** (crashes - 1), this.options.maxDelayMs);
    return { restart: true, delayMs, crashes };
  }

  /** Forgets past crashes, e.g. when the user starts the server again by hand. */
  reset(): void {
    this.crashTimes = [];
  }

  get maxRestarts(): number {
    return this.options.maxRestarts;
  }

  get windowMs(): number {
    return this.options.windowMs;
  }
}
