/**
 * Uploaded files' records. The bytes are written by whoever receives the upload (an HTTP route); this
 * module checks the limits and keeps the record that messages then attach by `uploadId`.
 */
import { ParleyError } from '../../runtime/errors.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import type { Upload } from '../store/types.js';
import { requireUser } from './access.js';
import { type Clock, isoNow, systemClock } from './clock.js';
import { checkInteger, checkText, invalid } from './validation.js';

export interface UploadsOptions {
  clock?: Clock;
  /** Largest file, in bytes. Default 25 MiB. */
  maxBytes?: number;
}

export interface NewUploadInput {
  filename: string;
  mimeType: string;
  size: number;
  /** Where the bytes were stored, relative to the upload folder. */
  path: string;
}

export class Uploads {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly maxBytes: number;

  constructor(store: Store, options: UploadsOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  }

  async register(ownerId: string, input: NewUploadInput): Promise<Upload> {
    const filename = checkText('filename', input.filename, { max: 255 });
    if (/[/\\\0]/.test(filename)) throw invalid('filename', 'must be a bare file name, without / \\ or NUL');
    const mimeType = checkText('mimeType', input.mimeType, { max: 255 });
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(mimeType))
      throw invalid('mimeType', `"${mimeType}" is not a MIME type like image/png`);
    const size = checkInteger('size', input.size, 0, this.maxBytes);
    const path = checkText('path', input.path, { max: 1024 });
    await requireUser(this.store, ownerId);
    return this.store.createUpload({
      id: newId('upl'),
      ownerId,
      filename,
      mimeType,
      size,
      path,
      createdAt: isoNow(this.clock),
    });
  }

  /** An upload's record, for its owner. */
  async get(userId: string, uploadId: string): Promise<Upload> {
    const upload = await this.store.getUpload(uploadId);
    if (!upload) throw new ParleyError('NOT_FOUND', `upload ${uploadId} does not exist`);
    if (upload.ownerId !== userId)
      throw new ParleyError('FORBIDDEN', `upload ${uploadId} belongs to another user`);
    return upload;
  }
}
