/**
 * Receiving one uploaded file (`POST /api/upload`, multipart/form-data, form field `file`): the type allow-list,
 * the size limit, and a check that the bytes look like the type they claim. The file is stored under a name
 * the server makes up (`<ms>-<uuid>.<ext>`), never the client's; the client's name is only kept as a label.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ParleyError } from '../../runtime/errors.js';

/** A refused upload, with the HTTP status that says why (400 malformed, 413 too large, 415 wrong type). */
export class UploadRefused extends ParleyError {
  readonly status: 400 | 413 | 415;
  /** The request body was not read to its end: the connection cannot be reused. */
  readonly closeConnection: boolean;

  constructor(status: 400 | 413 | 415, message: string, options: { closeConnection?: boolean } = {}) {
    super('VALIDATION_FAILED', message);
    this.status = status;
    this.closeConnection = options.closeConnection ?? false;
  }
}

interface FileType {
  /** The extension of stored files of this type. */
  ext: string;
  /** Other extensions a file of this type may have (for a client that sends `application/octet-stream`). */
  aliases?: readonly string[];
  /** Whether the first bytes look like this type. */
  looksLike(head: Buffer): boolean;
}

const startsWith = (head: Buffer, ...signatures: string[]) =>
  signatures.some((s) => head.subarray(0, s.length).equals(Buffer.from(s, 'latin1')));
const isZip = (head: Buffer) => startsWith(head, 'PK\x03\x04', 'PK\x05\x06');
/** Text: no NUL byte in what was seen of it. */
const isText = (head: Buffer) => !head.includes(0);

/** The types the server accepts. SVG and HTML are not among them: served back, they could run script. */
export const ALLOWED_TYPES: Readonly<Record<string, FileType>> = {
  'image/png': { ext: 'png', looksLike: (h) => startsWith(h, '\x89PNG\r\n\x1a\n') },
  'image/jpeg': { ext: 'jpg', aliases: ['jpeg'], looksLike: (h) => startsWith(h, '\xff\xd8\xff') },
  'image/gif': { ext: 'gif', looksLike: (h) => startsWith(h, 'GIF87a', 'GIF89a') },
  'image/webp': {
    ext: 'webp',
    looksLike: (h) => startsWith(h, 'RIFF') && h.subarray(8, 12).equals(Buffer.from('WEBP')),
  },
  'application/pdf': { ext: 'pdf', looksLike: (h) => startsWith(h, '%PDF-') },
  'application/zip': { ext: 'zip', looksLike: isZip },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    ext: 'docx',
    looksLike: isZip,
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: 'xlsx', looksLike: isZip },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    ext: 'pptx',
    looksLike: isZip,
  },
  'text/plain': { ext: 'txt', aliases: ['log'], looksLike: isText },
  'text/csv': { ext: 'csv', looksLike: isText },
  'text/markdown': { ext: 'md', aliases: ['markdown'], looksLike: isText },
  'application/json': { ext: 'json', looksLike: isText },
};

/** How many first bytes are checked against the type. */
const HEAD_BYTES = 4096;
/** What multipart framing and small form fields may add to the file's own bytes. */
const ENVELOPE_BYTES = 64 * 1024;

export interface ReceivedFile {
  /** The generated file name under the upload folder. */
  storedName: string;
  /** The client's name for it, reduced to a bare file name. */
  originalName: string;
  mimeType: string;
  size: number;
}

const tooLarge = (maxBytes: number, closeConnection = false) =>
  new UploadRefused(413, `the file is larger than the limit of ${maxBytes} bytes`, { closeConnection });

/**
 * Reads the request's multipart body and stores its `file` in `dir`. Resolves once the whole body has been
 * read; refusals are `UploadRefused` and leave nothing behind.
 */
export async function receiveUpload(
  req: IncomingMessage,
  options: { dir: string; maxBytes: number },
): Promise<ReceivedFile> {
  const { dir, maxBytes } = options;
  const bodyLimit = maxBytes + ENVELOPE_BYTES;
  if (Number(req.headers['content-length']) > bodyLimit) throw tooLarge(maxBytes, true);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Browsers and fetch send the file name as raw UTF-8 (busboy's default reads it as Latin-1).
      defParamCharset: 'utf8',
      // One byte over the limit: busboy truncates a file that *reaches* `fileSize`, and the limit is inclusive.
      limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: 40 },
    });
  } catch {
    throw new UploadRefused(415, 'send the file as multipart/form-data, in the form field "file"');
  }
  await mkdir(dir, { recursive: true });

  let refusal: UploadRefused | undefined;
  let stored: Promise<ReceivedFile> | undefined;
  /** The file being stored: failing the parse fails it too, so that nothing waits for its end. */
  let active: Readable | undefined;
  const parsed = new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      active?.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || stored) {
        stream.resume();
        if (field !== 'file')
          refusal ??= new UploadRefused(400, `unexpected file field "${field}"; use "file"`);
        return;
      }
      const type = fileType(info.mimeType, info.filename);
      if (!type) {
        stream.resume();
        refusal ??= new UploadRefused(
          415,
          `files of type ${info.mimeType} are not accepted; allowed: ${Object.keys(ALLOWED_TYPES).join(', ')}`,
        );
        return;
      }
      active = stream;
      stored = store(stream, dir, type, info.filename, maxBytes);
      // Awaited below; until then a refusal must not count as unhandled.
      stored.catch(() => {});
    });
    parser.on('close', resolve);
    parser.on('error', fail);
    let read = 0;
    req.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read <= bodyLimit) return;
      req.unpipe(parser);
      req.pause();
      fail(tooLarge(maxBytes, true));
    });
    req.on('error', fail);
  });
  req.pipe(parser);

  let file: ReceivedFile | undefined;
  try {
    await parsed;
    file = await stored;
  } catch (error) {
    await discard(dir, await stored?.catch(() => undefined));
    if (error instanceof UploadRefused) throw error;
    throw new UploadRefused(400, `malformed multipart body: ${(error as Error).message ?? String(error)}`);
  }
  if (refusal) {
    await discard(dir, file);
    throw refusal;
  }
  if (!file) throw new UploadRefused(400, 'no file: send it in the form field "file"');
  return file;
}

/** The allowed type of a part: its declared MIME type, or for `application/octet-stream` its extension. */
function fileType(
  declared: string,
  filename: string | undefined,
): (FileType & { mimeType: string }) | undefined {
  const mimeType = declared.trim().toLowerCase();
  const known = ALLOWED_TYPES[mimeType];
  if (known) return { ...known, mimeType };
  if (mimeType !== 'application/octet-stream' || !filename) return undefined;
  const ext = path.extname(filename).slice(1).toLowerCase();
  const match = Object.entries(ALLOWED_TYPES).find(([, t]) => t.ext === ext || t.aliases?.includes(ext));
  return match && { ...match[1], mimeType: match[0] };
}

async function store(
  stream: Readable & { truncated?: boolean },
  dir: string,
  type: FileType & { mimeType: string },
  clientName: string | undefined,
  maxBytes: number,
): Promise<ReceivedFile> {
  const storedName = `${Date.now()}-${randomUUID()}.${type.ext}`;
  const file: ReceivedFile = {
    storedName,
    originalName: bareName(clientName) ?? `upload.${type.ext}`,
    mimeType: type.mimeType,
    size: 0,
  };
  let head = Buffer.alloc(0);
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      file.size += chunk.length;
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk]).subarray(0, HEAD_BYTES);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, measure, createWriteStream(path.join(dir, storedName), { flags: 'wx' }));
    if (stream.truncated) throw tooLarge(maxBytes);
    if (file.size === 0) throw new UploadRefused(400, 'the file is empty');
    if (!type.looksLike(head))
      throw new UploadRefused(415, `the file's content is not ${type.mimeType}, as its type claims`);
    return file;
  } catch (error) {
    await discard(dir, file);
    throw error;
  }
}

async function discard(dir: string, file: ReceivedFile | undefined): Promise<void> {
  if (file) await unlink(path.join(dir, file.storedName)).catch(() => {});
}

/**
 * The last path segment, without control characters and without the bidirectional controls that make a name
 * read otherwise than it is (`invoice\u202Efdp.exe` shows as `invoiceexe.pdf`), at most 255 characters;
 * `undefined` when empty.
 */
export function bareName(name: string | undefined): string | undefined {
  const bare = (name ?? '')
    .split(/[/\\]/)
    .at(-1)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    ?.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 255);
  return bare ? bare : undefined;
}
