/**
 * The REST endpoints the `/workspace` seed (004) names beside its socket: message history and file uploads.
 * Every request carries `Authorization: Bearer <token>`; answers are JSON (`{ data, ... }`), errors
 * `{ error: { code, message } }` with Parley's stable codes.
 *
 * - `GET /api/messages?channelId=…&page=…` and `GET /api/conversations/:id/messages?page=…`: a page of the
 *   room's history, for its members (`{ data, page, hasMore }`; page 1 is the newest, each page oldest first,
 *   deleted messages left out; `limit` 1 to 100, default 50);
 * - `POST /api/upload`: one file (multipart form field `file`), answered `201 { data: Attachment }`;
 * - `GET /api/uploads/:id`: the file, for its owner, and with `?messageId=` (the `url` a message carries) for
 *   the members of that message's room.
 */
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type ErrorCode, isParleyError, ParleyError } from '../../runtime/errors.js';
import type { TokenVerifier } from '../auth/index.js';
import type { Chat } from '../core/chat.js';
import { requirePlace } from '../handlers/workspace.js';
import type { Logger } from '../log.js';
import { attachmentOf, type Place, WorkspaceView } from '../outbound/workspace.js';
import type { Message, User } from '../store/types.js';
import { json } from './http.js';
import { receiveUpload, UploadRefused } from './upload.js';

export interface RestDeps {
  chat: Chat;
  auth: TokenVerifier;
  log: Logger;
  /** Uploaded files are stored in `<dataDir>/uploads/`. */
  dataDir: string;
  /** Largest upload, in bytes (the domain's `maxUploadBytes`). Default 25 MiB. */
  maxUploadBytes?: number | undefined;
  /** Create users the server has not seen (tokens from an external identity provider). */
  createUnknownUsers: boolean;
}

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  user: User;
  /** The path's `:id`, decoded. */
  id: string;
}

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  serve(request: Request): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

const STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  NOT_IMPLEMENTED: 501,
  INTERNAL: 500,
};

/** The routes: `true` when the request was for one of them (and is being answered), `false` otherwise. */
export function restRoutes(deps: RestDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { chat } = deps;
  const view = new WorkspaceView(chat);
  const uploadDir = path.resolve(deps.dataDir, 'uploads');
  const maxBytes = deps.maxUploadBytes ?? 25 * 1024 * 1024;

  const history = async (place: Place, roomId: string, { url, user, res }: Request) => {
    const page = integerParam(url, 'page', 1, Number.MAX_SAFE_INTEGER, 1);
    const limit = integerParam(url, 'limit', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    await requirePlace(chat, user.id, place, roomId);
    const { messages, hasMore } = await livePage(chat, user.id, roomId, page, limit);
    const data =
      place === 'channel' ? await view.channelMessages(messages) : await view.directMessages(messages);
    json(res, 200, { data, page, hasMore });
  };

  const routes: Route[] = [
    {
      method: 'GET',
      path: /^\/api\/messages$/,
      serve: (request) => {
        const channelId = request.url.searchParams.get('channelId');
        if (!channelId) throw new ParleyError('VALIDATION_FAILED', 'give the channel: ?channelId=…');
        return history('channel', channelId, request);
      },
    },
    {
      method: 'GET',
      path: /^\/api\/conversations\/([^/]+)\/messages$/,
      serve: (request) => history('conversation', request.id, request),
    },
    {
      method: 'POST',
      path: /^\/api\/upload$/,
      async serve({ req, res, user, url }) {
        // `?roomId=`: the file is announced to that room (`file.uploaded`); membership is checked before upload.
        const roomId = url.searchParams.get('roomId');
        if (roomId) await chat.requireMember(user.id, roomId, 'upload a file into');
        const file = await receiveUpload(req, { dir: uploadDir, maxBytes });
        try {
          const upload = await chat.registerUpload(user.id, {
            filename: file.originalName,
            mimeType: file.mimeType,
            size: file.size,
            path: file.storedName,
          });
          if (roomId) {
            const notice = {
              roomId,
              fileName: upload.filename,
              fileSize: upload.size,
              fileType: upload.mimeType,
            };
            await chat.fileUploaded(user.id, { ...notice, messageId: null });
          }
          json(res, 201, { data: attachmentOf(upload) });
        } catch (error) {
          await unlink(path.join(uploadDir, file.storedName)).catch(() => {});
          throw error;
        }
      },
    },
    {
      method: 'GET',
      path: /^\/api\/uploads\/([^/]+)$/,
      async serve({ url, user, res, id }) {
        const upload = await chat.upload(id);
        if (!upload) throw new ParleyError('NOT_FOUND', `upload ${id} does not exist`);
        const messageId = url.searchParams.get('messageId');
        if (upload.ownerId !== user.id && !(messageId && (await attachedFor(chat, user, id, messageId)))) {
          throw new ParleyError(
            'FORBIDDEN',
            `you may fetch upload ${id} only if you uploaded it, or through a message of a room you are in ` +
              '(the url the message gives)',
          );
        }
        const file = path.resolve(uploadDir, upload.path);
        const info = file.startsWith(uploadDir + path.sep)
          ? await stat(file).catch(() => undefined)
          : undefined;
        if (!info?.isFile()) throw new ParleyError('NOT_FOUND', `the file of upload ${id} is gone`);
        res.writeHead(200, {
          'content-type': upload.mimeType,
          'content-length': info.size,
          'content-disposition': contentDisposition(upload.mimeType, upload.filename),
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, no-cache',
        });
        await pipeline(createReadStream(file), res);
      },
    },
  ];

  const authenticate = async (req: IncomingMessage): Promise<User> => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new ParleyError('UNAUTHENTICATED', 'send the token as "Authorization: Bearer <token>"');
    const { userId } = await deps.auth.verifyToken(token);
    try {
      return await chat.signIn(userId, { create: deps.createUnknownUsers });
    } catch (error) {
      if (isParleyError(error) && error.code === 'NOT_FOUND')
        throw new ParleyError('UNAUTHENTICATED', `the token names user ${userId}, who does not exist`);
      throw error;
    }
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, url: URL, matches: Route[]) => {
    const route = matches.find((r) => r.method === req.method);
    if (!route) {
      const allowed = matches.map((r) => r.method).join(', ');
      res.setHeader('allow', allowed);
      json(res, 405, { error: { code: 'VALIDATION_FAILED', message: `use ${allowed} ${url.pathname}` } });
      return;
    }
    const user = await authenticate(req);
    let id = '';
    try {
      id = decodeURIComponent(route.path.exec(url.pathname)?.[1] ?? '');
    } catch {
      throw new ParleyError('VALIDATION_FAILED', `malformed path ${url.pathname}`);
    }
    await route.serve({ req, res, url, user, id });
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matches = routes.filter((r) => r.path.test(url.pathname));
    if (matches.length === 0) return false;
    answer(req, res, url, matches)
      .catch((error: unknown) => fail(deps.log, req, res, error))
      .finally(() => {
        // A body nobody read (a GET with a body, say) is drained so that the connection stays usable, unless
        // the answer closes it (a body far over the upload limit is not worth reading).
        if (!req.complete && res.getHeader('connection') !== 'close') req.resume();
      });
    return true;
  };
}

/**
 * A page of the room's live (not deleted) messages, counted from the newest: page 1 is the newest `limit`.
 * The core pages by cursor, so the pages before the wanted one are walked through.
 */
async function livePage(
  chat: Chat,
  userId: string,
  roomId: string,
  page: number,
  limit: number,
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const wanted = page * limit + 1;
  const newestFirst: Message[] = [];
  let before: number | undefined;
  for (;;) {
    const chunk = await chat.history(userId, roomId, { before, limit: MAX_PAGE_SIZE });
    for (const message of chunk.messages.toReversed())
      if (message.deletedAt === null) newestFirst.push(message);
    const oldest = chunk.messages[0];
    if (newestFirst.length >= wanted || !chunk.hasMore || !oldest) break;
    before = oldest.seq;
  }
  return {
    messages: newestFirst.slice((page - 1) * limit, page * limit).reverse(),
    hasMore: newestFirst.length > page * limit,
  };
}

/** Whether `uploadId` is attached to `messageId`, a live message of a room `user` is a member of. */
async function attachedFor(chat: Chat, user: User, uploadId: string, messageId: string): Promise<boolean> {
  const [message] = await chat.messagesById([messageId]);
  if (!message || message.deletedAt !== null) return false;
  if (!(message.metadata?.attachments ?? []).some((a) => a.uploadId === uploadId)) return false;
  return (await chat.membership(message.roomId, user.id)) !== undefined;
}

function integerParam(url: URL, name: string, min: number, max: number, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max)
    throw new ParleyError(
      'VALIDATION_FAILED',
      `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  return value;
}

/** Images are shown in place, everything else is downloaded; the name travels in both encodings (RFC 6266). */
function contentDisposition(mimeType: string, filename: string): string {
  const kind = mimeType.startsWith('image/') ? 'inline' : 'attachment';
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function fail(log: Logger, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    log.error({ err: error, url: req.url }, 'request failed while answering');
    res.destroy();
    return;
  }
  if (!isParleyError(error) || error.code === 'INTERNAL') {
    log.error({ err: error, method: req.method, url: req.url }, 'request failed');
    json(res, 500, { error: { code: 'INTERNAL', message: 'internal server error' } });
    return;
  }
  const status = error instanceof UploadRefused ? error.status : STATUS[error.code];
  if (error.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
  if (error instanceof UploadRefused && error.closeConnection) res.setHeader('connection', 'close');
  json(res, status, { error: { code: error.code, message: error.message } });
}
