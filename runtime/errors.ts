/**
 * Errors, as the runtime sends them and as the typed client raises them.
 *
 * Server side, a handler throws a `ParleyError` (or uses a helper: `throw forbidden('not your room')`); the
 * runtime turns it into the namespace's documented error shape (`x-parley-errors`) with
 * `renderErrorTemplate`. Validation problems travel as plain `Issue` objects, never as a `ZodError`.
 *
 * Client side, `AckTimeoutError`, `ReplyValidationError` and `InboundValidationError` say which event, what
 * was expected and what to do about it.
 */
import type { FailureContract } from './contract.js';

/** The stable error codes (README, "Stable error codes"). */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL';

export const ERROR_CODES: readonly ErrorCode[] = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'NOT_IMPLEMENTED',
  'INTERNAL',
];

/** One validation problem, as sent over the wire: plain JSON. */
export interface Issue {
  /** Where in the payload: `['to', 0]`; `[]` for the payload itself. For spread arguments, index 0 is the first argument. */
  path: (string | number)[];
  message: string;
  /** zod's issue code: `invalid_type`, `too_small`, `unrecognized_keys`, ... */
  code: string;
}

export interface ParleyErrorOptions {
  issues?: Issue[];
  /** Extra data for logs and `onError`; never sent to the client. */
  details?: unknown;
  cause?: unknown;
}

/** An error with a stable code. Thrown by handlers; sent to the client in the namespace's error shape. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly issues?: Issue[];
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: ParleyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    if (options.issues !== undefined) this.issues = options.issues;
    if (options.details !== undefined) this.details = options.details;
  }
}

export function isParleyError(error: unknown): error is ParleyError {
  return error instanceof ParleyError;
}

export function validationFailed(message: string, issues: Issue[] = []): ParleyError {
  return new ParleyError('VALIDATION_FAILED', message, { issues });
}

export function unauthenticated(message = 'authentication required'): ParleyError {
  return new ParleyError('UNAUTHENTICATED', message);
}

export function forbidden(message = 'forbidden'): ParleyError {
  return new ParleyError('FORBIDDEN', message);
}

export function notFound(message = 'not found'): ParleyError {
  return new ParleyError('NOT_FOUND', message);
}

export function conflict(message = 'conflict'): ParleyError {
  return new ParleyError('CONFLICT', message);
}

export function rateLimited(
  message = 'too many requests; slow down and retry later',
  details?: unknown,
): ParleyError {
  return new ParleyError('RATE_LIMITED', message, { details });
}

export function notImplemented(event: string): ParleyError {
  return new ParleyError(
    'NOT_IMPLEMENTED',
    `"${event}" is in the contract but this server has no handler for it`,
  );
}

export function internal(message = 'internal server error', options: ParleyErrorOptions = {}): ParleyError {
  return new ParleyError('INTERNAL', message, options);
}

/** The part of a `ZodError` (or of any issue list) that `toIssues` reads. */
export interface IssueSource {
  readonly issues: readonly {
    readonly path: readonly PropertyKey[];
    readonly message: string;
    readonly code: string;
  }[];
}

/**
 * How much of a validation failure travels back. A payload can hold far more faults than it weighs (a list of
 * 10,000 wrong items, an object of 10,000 unknown keys): an error that lists them all costs the server more than
 * the request and is a lever for a hostile client. So an error carries the first `MAX_ISSUES` issues, each
 * message cut at `MAX_ISSUE_MESSAGE` characters, and one last issue (code `too_many_issues`) that counts the rest.
 */
export const MAX_ISSUES = 20;
export const MAX_ISSUE_MESSAGE = 300;
/** A path deeper than this is cut too (a hostile payload can nest deeply). */
export const MAX_ISSUE_PATH = 32;

/**
 * A `ZodError`'s issues as plain JSON: `{ path, message, code }`, bounded as `MAX_ISSUES` says. Symbols in paths
 * become their description.
 */
export function toIssues(error: IssueSource): Issue[] {
  const listed = error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path
      .slice(0, MAX_ISSUE_PATH)
      .map((key) => (typeof key === 'symbol' ? (key.description ?? key.toString()) : key))
      .map((key) => (typeof key === 'string' ? truncate(key, MAX_ISSUE_MESSAGE) : key)),
    message: truncate(issue.message, MAX_ISSUE_MESSAGE),
    code: issue.code,
  }));
  const rest = error.issues.length - listed.length;
  if (rest > 0) {
    listed.push({
      path: [],
      message: `and ${rest} more issue${rest === 1 ? '' : 's'} (only the first ${MAX_ISSUES} are listed)`,
      code: 'too_many_issues',
    });
  }
  return listed;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `to[0]: Invalid input; text: Too small` — for error messages. */
export function formatIssues(issues: readonly Issue[]): string {
  if (issues.length === 0) return '(no details)';
  return issues
    .map((issue) => `${issue.path.length === 0 ? '(payload)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

export interface ErrorTemplateVars {
  code: string;
  message: string;
  event: string;
  issues?: readonly Issue[];
}

const PLACEHOLDER = /\{(code|message|event)\}/g;

/**
 * Fills in an `x-parley-errors` template: deep-copies the JSON value `template`, replacing `{code}`,
 * `{message}` and `{event}` inside strings (once, so a message that itself contains `{event}` is kept as is),
 * and a string that is exactly `{issues}` by the issues list (`[]` when there are none). Object keys are
 * never rewritten. `undefined` stays `undefined`.
 */
export function renderErrorTemplate(template: unknown, vars: ErrorTemplateVars): unknown {
  const issues = vars.issues ?? [];
  const render = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value === '{issues}') return issues.map((issue) => ({ ...issue, path: [...issue.path] }));
      return value.replace(PLACEHOLDER, (_match, name: 'code' | 'message' | 'event') => vars[name]);
    }
    if (Array.isArray(value)) return value.map(render);
    if (value !== null && typeof value === 'object') {
      // fromEntries defines properties, so a `__proto__` key in a template stays a plain key.
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, render(item)]));
    }
    return value;
  };
  return render(template);
}

/** The client waited `timeoutMs` for an acknowledgement that never came. */
export class AckTimeoutError extends Error {
  readonly event: string;
  readonly timeoutMs: number;

  /** `failure`: how the operation reports a failure (its contract's), to say where one went instead of the ack. */
  constructor(
    event: string,
    timeoutMs: number,
    options: { cause?: unknown; failure?: FailureContract } = {},
  ) {
    super(
      `no acknowledgement for "${event}" within ${timeoutMs} ms: expected the server to answer the ack. ` +
        unansweredBecause(options.failure) +
        'Check that the socket is connected and that the server handles this event; for a slow operation, ' +
        'pass a larger { timeoutMs } to the call or to createClient.',
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AckTimeoutError';
    this.event = event;
    this.timeoutMs = timeoutMs;
  }
}

/** A failed operation whose ack cannot carry the error leaves it unanswered: say where the failure went. */
function unansweredBecause(failure: FailureContract | undefined): string {
  if (failure?.via === 'event') {
    return `If it failed, this operation's ack cannot carry an error: see the "${failure.event}" event. `;
  }
  if (failure?.via === 'log') {
    return `If it failed, this operation's ack cannot carry an error (${failure.reason}): see the server log. `;
  }
  return '';
}

/** The server's acknowledgement does not match the contract's reply schema (client option `validate`). */
export class ReplyValidationError extends Error {
  readonly event: string;
  readonly issues: Issue[];
  /** What the server sent. */
  readonly received: unknown;

  constructor(event: string, issues: Issue[], received?: unknown) {
    super(
      `the acknowledgement for "${event}" does not match the contract's reply schema: ${formatIssues(issues)}. ` +
        'Expected the reply documented in the AsyncAPI document; the server and this client probably disagree ' +
        'on the contract: regenerate both from the same document, or fix the server handler.',
    );
    this.name = 'ReplyValidationError';
    this.event = event;
    this.issues = issues;
    this.received = received;
  }
}

/** A server event's payload does not match the contract (client option `validate`). */
export class InboundValidationError extends Error {
  readonly event: string;
  readonly issues: Issue[];
  /** The arguments as received. */
  readonly received: unknown;

  constructor(event: string, issues: Issue[], received?: unknown) {
    super(
      `the server event "${event}" does not match the contract's payload schema: ${formatIssues(issues)}. ` +
        'The payload was not delivered to the listener. The server and this client probably disagree on the ' +
        'contract: regenerate both from the same document; pass onInvalid to createClient to handle this yourself.',
    );
    this.name = 'InboundValidationError';
    this.event = event;
    this.issues = issues;
    this.received = received;
  }
}

/**
 * The server's own code tried to emit a payload that does not match the contract (emitter validation).
 * Nothing was sent. A bug in the server, so its code is `INTERNAL`; when it escapes a handler, the client
 * gets a generic INTERNAL error and `onError` gets this error.
 */
export class OutboundValidationError extends ParleyError {
  readonly event: string;

  constructor(event: string, issues: Issue[], what = 'payload') {
    super(
      'INTERNAL',
      `refusing to emit "${event}": the ${what} does not match the contract: ${formatIssues(issues)}. ` +
        'Nothing was sent. Fix the server code that emits it so it matches the schema in the AsyncAPI document.',
      { issues },
    );
    this.name = 'OutboundValidationError';
    this.event = event;
  }
}
