/**
 * The AI assistant against a local fake OpenAI-compatible endpoint: streaming, SSE cut anywhere, stopping the
 * upstream request, and every failure as an `AssistantError` whose message says what happened (and never the
 * API key). Plus the SSE parser on its own and the configuration from the environment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Assistant,
  AssistantError,
  type AssistantFailure,
  aiConfigFromEnv,
  type ChatTurn,
  createAssistant,
  SseParser,
} from '../../server/ai/index.js';
import { type FakeAi, sseChunk, startFakeAi } from './fake-ai.js';

const KEY = 'sk-test-0123456789abcdefSECRET';
const QUESTION: ChatTurn[] = [{ role: 'user', content: 'Say hello' }];

let fake: FakeAi;
let assistant: Assistant;
beforeAll(async () => {
  fake = await startFakeAi();
  assistant = createAssistant({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: KEY });
});
afterAll(async () => {
  await fake.close();
});

async function collectStream(iterable: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of iterable) pieces.push(piece);
  return pieces;
}

async function failureOf(iterable: AsyncIterable<string>): Promise<AssistantError> {
  try {
    await collectStream(iterable);
  } catch (error) {
    expect(error).toBeInstanceOf(AssistantError);
    return error as AssistantError;
  }
  throw new Error('the stream did not fail');
}

describe('createAssistant: streaming', () => {
  it('posts the model, the messages and stream: true with the key, and yields the pieces in order', async () => {
    fake.next({ stream: ['Hel', 'lo', ' there'] });
    const before = fake.requests.length;
    expect(await collectStream(assistant.stream(QUESTION))).toEqual(['Hel', 'lo', ' there']);
    const request = fake.requests[before]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toEqual({ model: 'fake-model', messages: QUESTION, stream: true });
    await request.closed;
    expect(request.aborted).toBe(false);
  });

  it('sends no authorization header without a key', async () => {
    const keyless = createAssistant({ baseUrl: `${fake.baseUrl}/`, model: 'fake-model' });
    fake.next({ stream: ['ok'] });
    const before = fake.requests.length;
    expect(await collectStream(keyless.stream(QUESTION))).toEqual(['ok']);
    expect(fake.requests[before]!.authorization).toBeUndefined();
    expect(fake.requests[before]!.path).toBe('/v1/chat/completions');
  });

  it('reads a stream cut at every byte, with CRLF lines, comments and multi-byte characters', async () => {
    const text =
      ': keep-alive\r\n\r\n' +
      sseChunk('Grüße ').replaceAll('\n', '\r\n') +
      sseChunk('🌍!') +
      'data: [DONE]\r\n\r\n';
    const bytes = Buffer.from(text, 'utf8');
    fake.next({ raw: [...bytes].map((b) => Buffer.from([b])), delayMs: 0 });
    expect((await collectStream(assistant.stream(QUESTION))).join('')).toBe('Grüße 🌍!');
  });

  it('takes a whole JSON answer from an endpoint that does not stream', async () => {
    fake.next({ json: { choices: [{ index: 0, message: { role: 'assistant', content: 'All at once' } }] } });
    expect(await collectStream(assistant.stream(QUESTION))).toEqual(['All at once']);
  });

  it('accepts a stream that ends after a finish_reason without [DONE]', async () => {
    fake.next({ raw: [sseChunk('fine'), sseChunk('', 'stop')] });
    expect(await collectStream(assistant.stream(QUESTION))).toEqual(['fine']);
  });
});

describe('createAssistant: stopping', () => {
  it('ends quietly when the signal aborts, and the endpoint sees the request go away', async () => {
    fake.next({ stream: Array.from({ length: 50 }, (_, i) => `p${i} `), delayMs: 30 });
    const before = fake.requests.length;
    const controller = new AbortController();
    const pieces: string[] = [];
    for await (const piece of assistant.stream(QUESTION, { signal: controller.signal })) {
      pieces.push(piece);
      if (pieces.length === 2) controller.abort();
    }
    expect(pieces).toEqual(['p0 ', 'p1 ']);
    const request = fake.requests[before]!;
    await request.closed;
    expect(request.aborted).toBe(true);
  });

  it('stops the upstream request when the consumer leaves the loop early', async () => {
    fake.next({ stream: Array.from({ length: 50 }, (_, i) => `p${i} `), delayMs: 30 });
    const before = fake.requests.length;
    for await (const piece of assistant.stream(QUESTION)) {
      expect(piece).toBe('p0 ');
      break;
    }
    const request = fake.requests[before]!;
    await request.closed;
    expect(request.aborted).toBe(true);
  });

  it('does not even send the request when the signal has already aborted', async () => {
    const before = fake.requests.length;
    expect(await collectStream(assistant.stream(QUESTION, { signal: AbortSignal.abort() }))).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });
});

describe('createAssistant: failures', () => {
  const cases: [
    string,
    { script: Parameters<FakeAi['next']>[0]; failure: AssistantFailure; says: RegExp },
  ][] = [
    [
      'an HTTP 500',
      {
        script: { status: 500, body: JSON.stringify({ error: { message: 'model crashed' } }) },
        failure: 'http',
        says: /answered HTTP 500.*model crashed/,
      },
    ],
    [
      'an HTTP 404 with a text body',
      { script: { status: 404, body: 'no such model' }, failure: 'http', says: /HTTP 404.*no such model/ },
    ],
    [
      'a data line that is not JSON',
      {
        script: { raw: [sseChunk('a'), 'data: {not json\n\n', 'data: [DONE]\n\n'] },
        failure: 'malformed',
        says: /malformed stream: "\{not json" is not JSON/,
      },
    ],
    [
      'a chunk without choices',
      { script: { raw: ['data: {"id":1}\n\n'] }, failure: 'malformed', says: /no "choices"/ },
    ],
    [
      'a stream cut short (no finish_reason, no [DONE])',
      { script: { stream: ['half'], done: false }, failure: 'malformed', says: /ended the stream before/ },
    ],
    [
      'an error reported inside the stream',
      {
        script: { raw: [sseChunk('a'), 'data: {"error":{"message":"overloaded"}}\n\n'] },
        failure: 'upstream',
        says: /reported an error: overloaded/,
      },
    ],
  ];
  it.each(cases)(
    '%s is an INTERNAL AssistantError that says so',
    async (_name, { script, failure, says }) => {
      fake.next(script);
      const error = await failureOf(assistant.stream(QUESTION));
      expect(error.code).toBe('INTERNAL');
      expect(error.failure).toBe(failure);
      expect(error.message).toMatch(says);
    },
  );

  it('times out when the endpoint does not answer, and when it falls silent', async () => {
    const impatient = createAssistant({
      baseUrl: fake.baseUrl,
      model: 'fake-model',
      timeoutMs: 200,
      idleTimeoutMs: 200,
    });
    fake.next({ silent: true, headers: false });
    const noAnswer = await failureOf(impatient.stream(QUESTION));
    expect(noAnswer.failure).toBe('timeout');
    expect(noAnswer.message).toMatch(/did not answer within 200 ms/);

    fake.next({ silent: true });
    const silent = await failureOf(impatient.stream(QUESTION));
    expect(silent.failure).toBe('timeout');
    expect(silent.message).toMatch(/stopped streaming: nothing for 200 ms/);
  });

  it('says when the endpoint cannot be reached', async () => {
    const nowhere = createAssistant({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm' });
    const error = await failureOf(nowhere.stream(QUESTION));
    expect(error.failure).toBe('unreachable');
    expect(error.message).toMatch(/Could not reach the AI endpoint at http:\/\/127\.0\.0\.1:1\/v1/);
  });

  it('never puts the API key in a message, even when the endpoint echoes it', async () => {
    fake.next({
      status: 401,
      body: JSON.stringify({
        error: { message: `Incorrect API key provided: ${KEY}. Also sk-proj-****abcd.` },
      }),
    });
    const error = await failureOf(assistant.stream(QUESTION));
    expect(error.message).toMatch(/HTTP 401.*check AI_API_KEY/);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('sk-proj');
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('sends credentials from the URL as basic auth and never shows them', async () => {
    const port = new URL(fake.baseUrl).port;
    const withUser = createAssistant({ baseUrl: `http://user:pa55word@127.0.0.1:${port}/v1`, model: 'm' });
    expect(withUser.description).toBe(`m at http://127.0.0.1:${port}/v1`);
    fake.next({ status: 500, body: 'bad password pa55word' });
    const before = fake.requests.length;
    const error = await failureOf(withUser.stream(QUESTION));
    expect(error.message).toMatch(/HTTP 500/);
    expect(error.message).not.toContain('pa55word');
    // The credentials travel as basic auth, since fetch refuses them in the URL.
    expect(fake.requests[before]!.authorization).toBe(
      `Basic ${Buffer.from('user:pa55word').toString('base64')}`,
    );
  });

  it('without a configuration, fails with NOT_IMPLEMENTED and names the variables to set', async () => {
    const none = createAssistant();
    expect(none.configured).toBe(false);
    const error = await failureOf(none.stream(QUESTION));
    expect(error.code).toBe('NOT_IMPLEMENTED');
    expect(error.failure).toBe('not-configured');
    expect(error.message).toMatch(/No AI assistant is configured on this server.*AI_BASE_URL.*AI_MODEL/);
  });

  it('refuses a base URL that is not http(s) at creation', () => {
    expect(() => createAssistant({ baseUrl: 'localhost:11434', model: 'm' })).toThrow(/http/);
    expect(() => createAssistant({ baseUrl: 'not a url', model: 'm' })).toThrow(/not a URL/);
    expect(() => createAssistant({ baseUrl: 'http://x/v1', model: ' ' })).toThrow(/model/);
  });
});

describe('SseParser', () => {
  const stream = `: comment\n\ndata: one\n\ndata: two\r\ndata: lines\r\n\r\nevent: x\ndata:three\r\rdata: [DONE]\n\n`;
  const want = ['one', 'two\nlines', 'three', '[DONE]'];

  it('parses a whole stream', () => {
    const parser = new SseParser();
    expect([...parser.push(stream), ...parser.end()]).toEqual(want);
  });

  it.each(Array.from({ length: stream.length - 1 }, (_, i) => i + 1))(
    'gives the same events when cut at %i',
    (cut) => {
      const parser = new SseParser();
      expect([
        ...parser.push(stream.slice(0, cut)),
        ...parser.push(stream.slice(cut)),
        ...parser.end(),
      ]).toEqual(want);
    },
  );

  it('completes an event the stream left open', () => {
    const parser = new SseParser();
    expect(parser.push('data: last')).toEqual([]);
    expect(parser.end()).toEqual(['last']);
  });
});

describe('aiConfigFromEnv', () => {
  const cases: [string, { env: Record<string, string | undefined>; want: unknown }][] = [
    ['nothing set', { env: {}, want: undefined }],
    ['empty values', { env: { AI_BASE_URL: ' ', AI_MODEL: '' }, want: undefined }],
    [
      'URL and model',
      {
        env: { AI_BASE_URL: 'http://localhost:11434/v1', AI_MODEL: 'llama3.2' },
        want: { baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' },
      },
    ],
    [
      'with a key',
      {
        env: { AI_BASE_URL: 'https://api.example/v1', AI_MODEL: 'm', AI_API_KEY: 'k' },
        want: { baseUrl: 'https://api.example/v1', model: 'm', apiKey: 'k' },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { env, want }) => {
    expect(aiConfigFromEnv(env)).toEqual(want);
  });

  it('stops on half a configuration, naming the missing variable', () => {
    expect(() => aiConfigFromEnv({ AI_BASE_URL: 'http://x/v1' })).toThrow(/AI_MODEL is not/);
    expect(() => aiConfigFromEnv({ AI_MODEL: 'm' })).toThrow(/AI_BASE_URL is not/);
  });
});
