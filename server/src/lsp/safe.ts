/**
 * Every handler runs through `safe`: an exception in one request must cost that request, not the server.
 * The error goes to the client's output channel with the method name; the caller gets the fallback.
 */
import type { Session } from './session';

export function safe<P, R>(session: Session, method: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (e) {
      session.error(`${method} failed`, e);
      return fallback;
    }
  };
}
