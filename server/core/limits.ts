/**
 * Which operations cost a token of which rate-limit bucket, for every namespace: the chat core takes the token
 * inside the verb, so a user's budget is the same whichever door they use. A refusal is a `RateLimited` error;
 * each dialect tells it in its own words (and, where its spec says so, with its own notice to the socket).
 */
import { ParleyError } from '../../runtime/errors.js';
import type { RateLimitResult } from '../domain/ratelimit.js';

/** The buckets (`server/domain/ratelimit.ts`, `PARLEY_RATE_LIMITS`) and what their operations are called. */
export const RATE_CLASSES = {
  message: 'messages',
  typing: 'typing indicators',
  reaction: 'reactions',
  call: 'calls',
  broadcast: 'broadcasts',
  ai: 'questions to the assistant',
} as const;

export type RateClass = keyof typeof RATE_CLASSES;

/** `RATE_LIMITED`, with the bucket and the limiter's answer for the dialect's notice. */
export class RateLimited extends ParleyError {
  readonly rateClass: RateClass;
  readonly result: RateLimitResult;
  /** When it was refused (ms since the epoch, the domain's clock): `at + result.resetMs` is when it is full. */
  readonly at: number;

  constructor(rateClass: RateClass, result: RateLimitResult, at: number) {
    super(
      'RATE_LIMITED',
      `too many ${RATE_CLASSES[rateClass]}: at most ${result.limit} at once; retry in ${result.retryAfterMs} ms`,
      { details: result },
    );
    this.rateClass = rateClass;
    this.result = result;
    this.at = at;
  }
}
