/**
 * Record ids: `<prefix>_<base36>`, time-ordered (milliseconds first) with 64 random bits after, so ids
 * sort roughly by creation and never collide across processes sharing one database.
 */
import { randomBytes } from 'node:crypto';

export type IdPrefix = 'usr' | 'room' | 'msg' | 'upl' | 'call' | 'bcast';

export function newId(prefix: IdPrefix): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0');
  return `${prefix}_${time}${random}`;
}
