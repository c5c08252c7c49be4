/**
 * The AI assistant: a client of an OpenAI-compatible chat-completions endpoint (`POST {baseUrl}/chat/completions`
 * with `stream: true`), which Ollama, vLLM, llama.cpp's server and hosted APIs all speak. `stream` yields the
 * answer's text as the endpoint sends it and stops the upstream request when its signal aborts.
 *
 * Every failure is an `AssistantError` (a `ParleyError`): `NOT_IMPLEMENTED` when no endpoint is configured,
 * `INTERNAL` when the endpoint fails (HTTP error, timeout, unreachable, malformed stream), with a message that
 * says what happened. The API key never appears in a message: it is only sent in the `authorization` header,
 * and any text that comes back from the endpoint is scrubbed of it before it is quoted. Credentials in the base
 * URL (`http://user:password@host/v1`) are sent as basic auth and never shown either.
 */
import { ParleyError } from '../../runtime/errors.js';
import { SseParser } from './sse.js';

export interface AssistantConfig {
  /** The API's base URL, up to and including the version: `http://localhost:11434/v1`, `https://api.openai.com/v1`. */
  baseUrl: string;
  /** The model name the endpoint knows: `llama3.2`, `gpt-4o-mini`. */
  model: string;
  /** Sent as `authorization: Bearer …` when set. */
  apiKey?: string;
  /** How long to wait for the endpoint to start answering. Default 30 000 ms. */
  timeoutMs?: number;
  /** How long the stream may stay silent between two pieces. Default 30 000 ms. */
  idleTimeoutMs?: number;
}

/** One turn of the chat sent to the model. */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamOptions {
  /** Aborting it stops the upstream request; the stream then ends without an error. */
  signal?: AbortSignal;
}

export interface Assistant {
  /** Whether an endpoint is configured; without one, `stream` fails with `NOT_IMPLEMENTED`. */
  readonly configured: boolean;
  /** For logs and the start-up banner: the model and the endpoint, never the key. */
  readonly description: string;
  /**
   * The model's answer to `messages`, piece by piece as the endpoint streams it. Ends when the endpoint sends
   * `data: [DONE]`, or quietly when `signal` aborts; leaving the loop early also stops the upstream request.
   */
  stream(messages: readonly ChatTurn[], options?: StreamOptions): AsyncIterable<string>;
}

/** What went wrong, for logs and tests; the message says it for people. */
export type AssistantFailure =
  | 'not-configured'
  | 'http'
  | 'timeout'
  | 'unreachable'
  | 'malformed'
  | 'upstream';

export class AssistantError extends ParleyError {
  readonly failure: AssistantFailure;
  /** The HTTP status the endpoint answered with, for `http`. */
  readonly status: number | undefined;

  constructor(
    failure: AssistantFailure,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(failure === 'not-configured' ? 'NOT_IMPLEMENTED' : 'INTERNAL', message, { cause: options.cause });
    this.name = 'AssistantError';
    this.failure = failure;
    this.status = options.status;
  }
}

export const NOT_CONFIGURED_MESSAGE =
  'No AI assistant is configured on this server: set AI_BASE_URL (an OpenAI-compatible endpoint such as ' +
  'http://localhost:11434/v1) and AI_MODEL, and AI_API_KEY if the endpoint needs a key, then restart it';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** How much of an error body a message quotes. */
const QUOTE_CHARS = 300;

/** The assistant for `config`; without one, an assistant whose every request fails with `NOT_IMPLEMENTED`. */
export function createAssistant(config?: AssistantConfig): Assistant {
  if (!config) {
    return {
      configured: false,
      description: 'off (set AI_BASE_URL and AI_MODEL)',
      stream: () => failing(new AssistantError('not-configured', NOT_CONFIGURED_MESSAGE)),
    };
  }
  const { model, apiKey } = config;
  const base = parseBaseUrl(config.baseUrl);
  if (model.trim() === '') throw new TypeError('AI model: give the name of a model the endpoint serves');
  const where = publicUrl(base);
  // `fetch` refuses credentials in a URL: `user:password@` becomes basic auth (unless there is a key).
  const endpoint = new URL(base.href);
  endpoint.username = '';
  endpoint.password = '';
  endpoint.pathname = `${endpoint.pathname.replace(/\/+$/, '')}/chat/completions`;
  const basic = base.username
    ? Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString(
        'base64',
      )
    : undefined;
  const authorization = apiKey ? `Bearer ${apiKey}` : basic ? `Basic ${basic}` : undefined;
  const scrub = scrubber([apiKey, basic, base.password ? decodeURIComponent(base.password) : undefined]);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleTimeoutMs = config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const fail = (failure: AssistantFailure, message: string, options?: { status?: number; cause?: unknown }) =>
    new AssistantError(failure, scrub(message), options);

  async function* stream(messages: readonly ChatTurn[], options: StreamOptions = {}): AsyncGenerator<string> {
    const { signal } = options;
    if (signal?.aborted) return;
    // Ours: the caller's signal, the timers and leaving the loop early all abort the request through it.
    const request = new AbortController();
    const onAbort = () => request.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = what;
        request.abort();
      }, ms);
    };

    try {
      arm(timeoutMs, `The AI endpoint at ${where} did not answer within ${seconds(timeoutMs)}`);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify({ model, messages, stream: true }),
          signal: request.signal,
        });
      } catch (error) {
        if (signal?.aborted) return;
        if (timedOut) throw fail('timeout', timedOut, { cause: error });
        throw fail('unreachable', `Could not reach the AI endpoint at ${where}: ${reason(error)}`, {
          cause: error,
        });
      }

      if (!response.ok) {
        const body = await response.text().catch(() => '');
        const detail = errorDetail(body);
        const hint = response.status === 401 || response.status === 403 ? ' (check AI_API_KEY)' : '';
        const statusText = response.statusText ? ` ${response.statusText}` : '';
        throw fail(
          'http',
          `The AI endpoint at ${where} answered HTTP ${response.status}${statusText}${hint}${detail ? `: ${detail}` : ''}`,
          { status: response.status },
        );
      }

      const type = response.headers.get('content-type') ?? '';
      if (type.includes('application/json')) {
        // An endpoint that ignores `stream: true` answers with the whole completion at once.
        const content = completionContent(await response.text(), fail);
        if (content) yield content;
        return;
      }
      if (!response.body) throw fail('malformed', `The AI endpoint at ${where} sent an empty answer`);

      const parser = new SseParser();
      const decoder = new TextDecoder();
      let finished = false;
      const handle = function* (events: string[]): Generator<string, boolean> {
        for (const data of events) {
          if (data.trim() === '[DONE]') return true;
          const chunk = streamChunk(data, fail);
          if (chunk.finished) finished = true;
          if (chunk.content) yield chunk.content;
        }
        return false;
      };
      const idle = `The AI endpoint at ${where} stopped streaming: nothing for ${seconds(idleTimeoutMs)}`;
      arm(idleTimeoutMs, idle);
      for await (const bytes of response.body) {
        arm(idleTimeoutMs, idle);
        if (yield* handle(parser.push(decoder.decode(bytes, { stream: true })))) return;
      }
      if (yield* handle(parser.push(decoder.decode()))) return;
      if (yield* handle(parser.end())) return;
      // Some servers close without `[DONE]` after the last chunk said why it finished; anything else was cut.
      if (!finished) {
        throw fail('malformed', `The AI endpoint at ${where} ended the stream before data: [DONE]`);
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof AssistantError) throw error;
      if (timedOut) throw fail('timeout', timedOut, { cause: error });
      throw fail('unreachable', `The AI endpoint at ${where} broke off the stream: ${reason(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Also when the consumer left the loop early: the endpoint stops generating.
      request.abort();
    }
  }

  return { configured: true, description: `${model} at ${where}`, stream };
}

/** The `data` of one streamed event: `choices[0].delta.content`, whether the choice finished, or the endpoint's error. */
function streamChunk(
  data: string,
  fail: (failure: AssistantFailure, message: string) => AssistantError,
): { content: string; finished: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // A server that put several JSON objects in one event (one `data:` line each).
    const lines = data.split('\n');
    if (lines.length > 1) {
      const parts = lines.map((line) => streamChunk(line, fail));
      return {
        content: parts.map((p) => p.content).join(''),
        finished: parts.some((p) => p.finished),
      };
    }
    throw fail('malformed', `The AI endpoint sent a malformed stream: ${quote(data)} is not JSON`);
  }
  if (!isObject(parsed)) throw fail('malformed', `The AI endpoint sent a malformed stream: ${quote(data)}`);
  const upstream = errorMessage(parsed);
  if (upstream !== undefined) throw fail('upstream', `The AI endpoint reported an error: ${upstream}`);
  const { choices } = parsed;
  if (!Array.isArray(choices)) {
    throw fail('malformed', `The AI endpoint sent a malformed stream: no "choices" in ${quote(data)}`);
  }
  const choice: unknown = choices[0];
  if (choice === undefined) return { content: '', finished: false }; // a usage-only chunk
  if (!isObject(choice)) throw fail('malformed', `The AI endpoint sent a malformed stream: ${quote(data)}`);
  const delta = choice.delta;
  const content = isObject(delta) && typeof delta.content === 'string' ? delta.content : '';
  return { content, finished: typeof choice.finish_reason === 'string' };
}

/** The content of a whole (non-streamed) completion. */
function completionContent(
  body: string,
  fail: (failure: AssistantFailure, message: string) => AssistantError,
): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail('malformed', `The AI endpoint sent malformed JSON: ${quote(body)}`);
  }
  const upstream = isObject(parsed) ? errorMessage(parsed) : undefined;
  if (upstream !== undefined) throw fail('upstream', `The AI endpoint reported an error: ${upstream}`);
  const choice: unknown = isObject(parsed) && Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  const message = isObject(choice) ? choice.message : undefined;
  if (!isObject(message) || typeof message.content !== 'string') {
    throw fail('malformed', `The AI endpoint's answer has no choices[0].message.content: ${quote(body)}`);
  }
  return message.content;
}

/** `{ error: { message } }`, `{ error: "…" }`: the shapes OpenAI-compatible servers report errors in. */
function errorMessage(body: Record<string, unknown>): string | undefined {
  const { error } = body;
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  return JSON.stringify(error);
}

function errorDetail(body: string): string {
  if (body.trim() === '') return '';
  try {
    const parsed: unknown = JSON.parse(body);
    const message = isObject(parsed) ? (errorMessage(parsed) ?? parsed.message) : undefined;
    if (typeof message === 'string') return quote(message, false);
  } catch {
    // not JSON: quote the text
  }
  return quote(body, false);
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`AI base URL "${baseUrl}" is not a URL; give one like http://localhost:11434/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`AI base URL must be http:// or https://, got ${url.protocol}`);
  }
  return url;
}

/** The endpoint as messages may show it: no credentials, no query. */
function publicUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  shown.search = '';
  shown.hash = '';
  return shown.href.replace(/\/+$/, '');
}

/** Removes the secrets (and anything shaped like an OpenAI key) from text that goes into a message. */
function scrubber(secrets: (string | undefined)[]): (text: string) => string {
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 4);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join('[redacted]');
    // OpenAI-style keys that an endpoint echoes partly masked (`sk-proj-****abcd`).
    out = out.replace(/\bsk-[A-Za-z0-9_*.-]{6,}/g, '[redacted]');
    return out;
  };
}

function quote(text: string, json = true): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS)}…` : flat;
  return json ? JSON.stringify(cut) : cut;
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ? `${error.message} (${code})` : cause ? `${error.message}: ${cause.message}` : error.message;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// biome-ignore lint/correctness/useYield: it fails before yielding anything
async function* failing(error: AssistantError): AsyncGenerator<string> {
  throw error;
}
