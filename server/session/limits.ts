/**
 * Rate-limit refusals in a dialect's words. The chat core decides (`RateLimited`, one budget per user and
 * bucket for every namespace); a dialect only says it: the notice its spec sends to the refused socket, and
 * the wording of the error. `withRateLimitNotice` wraps every handler of a dialect once, so no handler has to
 * remember it.
 */
import type { Socket } from 'socket.io';
import { RateLimited } from '../core/limits.js';

/**
 * Tells the refused socket (the dialect's notice, if its spec has one) and returns the error to report
 * instead (the dialect's wording), or nothing to report the core's.
 */
export type RateLimitNotice<Ctx> = (refusal: RateLimited, ctx: Ctx) => Error | undefined;

type AnyHandler<Ctx> = (payload: never, ctx: Ctx) => unknown;

/** The handlers, each telling a `RateLimited` refusal through `notice` before it is reported. */
export function withRateLimitNotice<Ctx extends { socket: Socket }, H extends object>(
  handlers: H,
  notice: RateLimitNotice<Ctx>,
): H {
  const told = (error: unknown, ctx: Ctx): unknown =>
    error instanceof RateLimited ? (notice(error, ctx) ?? error) : error;
  const wrapped: Record<string, unknown> = {};
  for (const [event, handler] of Object.entries(handlers) as [string, AnyHandler<Ctx>][]) {
    wrapped[event] = (payload: never, ctx: Ctx) => {
      try {
        const result = handler(payload, ctx);
        // Synchronous handlers stay synchronous: the runtime answers them in the same tick.
        return result instanceof Promise
          ? result.catch((error: unknown) => {
              throw told(error, ctx);
            })
          : result;
      } catch (error) {
        throw told(error, ctx);
      }
    };
  }
  return wrapped as H;
}
