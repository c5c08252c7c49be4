/**
 * Invalid payloads that cost more than they weigh (issue: "One user cannot take the server down"): a request
 * with thousands of faults must get an error of bounded size, the documented way, on the same connection.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ISSUES } from '../../runtime/index.js';
import { startTestServer, type TestServer } from '../integration/helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

function nextEvent(socket: Socket, event: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within 5 s`)), 5000);
    socket.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/**
 * 400 wrong items, one fault each: within the lists' `maxItems` (500), so each item is checked and reported.
 * (A longer list is refused whole, with one issue, by its `maxItems`.)
 */
const manyWrongIds = Array.from({ length: 400 }, (_, i) => i);

describe('a request with thousands of faults', () => {
  it('gets an error event of bounded size (/messenger mark_read, no ack)', async () => {
    const alice = await t.connect('/messenger', 'alice');
    const error = nextEvent(alice, 'error');
    alice.emit('mark_read', { conversationId: 'alice-bob', messageIds: manyWrongIds });
    const [payload] = await error;
    const size = JSON.stringify(payload).length;
    expect(payload).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(8 * 1024);
    expect((payload as { message: string }).message).toContain(`only the first ${MAX_ISSUES} are listed`);
  });

  it('gets an ack of bounded size that lists the first issues and counts the rest (canonical receipt:mark_read)', async () => {
    const alice = await t.connect('/', 'alice');
    const ack = (await alice
      .timeout(5000)
      .emitWithAck('receipt:mark_read', { roomId: 'general', messageIds: manyWrongIds })) as {
      ok: false;
      error: { code: string; issues: { code: string; message: string }[] };
    };
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(ack).length).toBeLessThan(8 * 1024);
    expect(ack.error.issues.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
    // The connection still works afterwards.
    const ok = (await alice.timeout(5000).emitWithAck('receipt:mark_read', { roomId: 'general' })) as {
      ok: boolean;
    };
    expect(ok.ok).toBe(true);
  });
});

it('refuses a list over its maxItems with one issue, whatever its items', async () => {
  const alice = await t.connect('/messenger', 'alice');
  const error = nextEvent(alice, 'error');
  alice.emit('mark_read', {
    conversationId: 'alice-bob',
    messageIds: Array.from({ length: 20_000 }, (_, i) => i),
  });
  const [payload] = (await error) as [{ code: string; message: string }];
  expect(payload).toEqual({
    code: 'VALIDATION_FAILED',
    message: 'invalid payload for "mark_read": messageIds: Too big: expected array to have <=500 items',
  });
});
