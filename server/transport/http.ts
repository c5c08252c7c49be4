/** HTTP beside Socket.IO: health and live statistics. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'socket.io';
import type { Chat } from '../core/chat.js';
import type { Logger } from '../log.js';

export interface HttpDeps {
  io: Server;
  chat: Chat;
  log: Logger;
  startedAt: number;
}

/** Messages per second over the last minute, from the chat's own events. */
export function messageRate(chat: Chat): { perSecond(): number; close(): void } {
  const stamps: number[] = [];
  const close = chat.listen((event) => {
    if (event.type === 'message.created') stamps.push(Date.now());
  });
  return {
    perSecond() {
      const since = Date.now() - 60_000;
      while (stamps.length && stamps[0]! < since) stamps.shift();
      return Math.round((stamps.length / 60) * 100) / 100;
    },
    close,
  };
}

export function httpRoutes(deps: HttpDeps, rate: { perSecond(): number }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      json(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000) });
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/stats') {
      const namespaces = Object.fromEntries(
        [...deps.io._nsps.entries()].map(([name, nsp]) => [name, { connections: nsp.sockets.size }]),
      );
      deps.chat.onlineUsers().then(
        (online) =>
          json(res, 200, {
            connections: deps.io.engine.clientsCount,
            namespaces,
            onlineUsers: online.length,
            messagesPerSecond: rate.perSecond(),
          }),
        (error: unknown) => {
          deps.log.error({ err: error }, 'could not count online users');
          json(res, 500, { error: { code: 'INTERNAL', message: 'could not count online users' } });
        },
      );
      return true;
    }
    return false;
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
