/**
 * A local fake of an OpenAI-compatible streaming chat-completions endpoint, on port 0. Each request plays the
 * script at the head of the queue (or the default one): streamed SSE chunks with small delays, raw bytes cut
 * anywhere, an HTTP failure, a whole JSON answer, or silence. It records every request: its body, its
 * `authorization` header, and whether the client went away before the answer ended (`aborted`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Script =
  /** One SSE chunk per piece (`choices[0].delta.content`), `delayMs` apart, then `finish_reason` and `[DONE]`. */
  | { stream: string[]; delayMs?: number; done?: boolean }
  /** These exact bytes or strings, written one by one, `delayMs` apart, as `text/event-stream`. */
  | { raw: (string | Buffer)[]; delayMs?: number }
  /** An HTTP failure with this body. */
  | { status: number; body: string }
  /** A whole (non-streamed) JSON answer. */
  | { json: unknown }
  /** Headers, then nothing (`headers: false`: not even headers). */
  | { silent: true; headers?: boolean };

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model?: string; stream?: boolean; messages?: { role: string; content: string }[] };
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
  /** Resolves when the response is over, either way. */
  closed: Promise<void>;
}

export interface FakeAi {
  /** The base URL to configure: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queue scripts for the next requests, in order. */
  next(...scripts: Script[]): void;
  /** What a request plays when the queue is empty. */
  defaultScript: Script;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sseChunk(content: string, finishReason: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'fake-model',
    choices: [{ index: 0, delta: finishReason ? {} : { content }, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export async function startFakeAi(): Promise<FakeAi> {
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();

  const play = async (script: Script, res: ServerResponse, record: RecordedRequest) => {
    const alive = () => !record.aborted && !res.destroyed;
    if ('status' in script) {
      res.writeHead(script.status, { 'content-type': 'application/json' });
      res.end(script.body);
      return;
    }
    if ('json' in script) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(script.json));
      return;
    }
    if ('silent' in script) {
      if (script.headers !== false) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
      }
      return; // the client's timeout (or the test's close) ends it
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const pieces =
      'raw' in script
        ? script.raw
        : [
            ...script.stream.map((piece) => sseChunk(piece)),
            ...(script.done === false ? [] : [sseChunk('', 'stop'), 'data: [DONE]\n\n']),
          ];
    for (const piece of pieces) {
      await sleep(script.delayMs ?? 20);
      if (!alive()) return;
      res.write(piece);
    }
    res.end();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let closedResolve!: () => void;
      const record: RecordedRequest = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        aborted: false,
        closed: new Promise<void>((resolve) => {
          closedResolve = resolve;
        }),
      };
      requests.push(record);
      res.on('close', () => {
        open.delete(res);
        if (!res.writableFinished) record.aborted = true;
        closedResolve();
      });
      void play(queue.shift() ?? fake.defaultScript, res, record).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeAi = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    next: (...scripts) => queue.push(...scripts),
    defaultScript: { stream: ['Hello', ', ', 'world', '!'] },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** Resolves when `fake` has received its `n`-th request (1-based), or rejects after `ms`. */
export async function nthRequest(fake: FakeAi, n: number, ms = 5000): Promise<RecordedRequest> {
  const until = Date.now() + ms;
  while (fake.requests.length < n) {
    if (Date.now() > until) throw new Error(`the fake AI endpoint got no request #${n} within ${ms} ms`);
    await sleep(10);
  }
  return fake.requests[n - 1] as RecordedRequest;
}
