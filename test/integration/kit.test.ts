/**
 * The integration kit's own waits can fail: a missing event names what arrived instead, a quiet check fails on
 * an event that arrives in its window. Over the runtime tests' bare Socket.IO harness.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../runtime/harness.js';
import { collect, emitAck, expectQuiet, nextEvent } from './kit.js';

let harness: Harness;
let client: Socket;
const toClient = (event: string, ...args: unknown[]) => harness.io.of('/kit').emit(event, ...args);

beforeAll(async () => {
  harness = await startHarness();
  harness.io.of('/kit').on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: (reply: unknown) => void) => ack({ echoed: payload }));
  });
  client = await harness.connect('/kit');
});
afterAll(async () => {
  await harness.close();
});

describe('integration kit', () => {
  it('nextEvent resolves with the first matching payload', async () => {
    const second = nextEvent<{ n: number }>(client, 'tick', { where: (p) => p.n === 2 });
    toClient('tick', { n: 1 });
    toClient('tick', { n: 2 });
    expect(await second).toEqual({ n: 2 });
  });

  it('nextEvent fails naming the events that arrived instead', async () => {
    const missing = nextEvent(client, 'wanted', { timeoutMs: 200 });
    toClient('other', { a: 1 });
    await expect(missing).rejects.toThrow('no "wanted" within 200 ms (arrived instead: other {"a":1})');
    await expect(nextEvent(client, 'wanted', { timeoutMs: 50 })).rejects.toThrow(/\(nothing arrived\)$/);
  });

  it('expectQuiet fails with what arrived in its window, and passes when nothing matching did', async () => {
    const noisy = expectQuiet<{ room: string }>(client, 'note', { where: (p) => p.room === 'a' });
    toClient('note', { room: 'b' });
    toClient('note', { room: 'a' });
    await expect(noisy.verify(100)).rejects.toThrow(/expected no note/);

    const quiet = expectQuiet<{ room: string }>(client, 'note', { where: (p) => p.room === 'a' });
    toClient('note', { room: 'b' });
    await quiet.verify(100);
  });

  it("collect('*') records every event in order, and emitAck resolves with the ack", async () => {
    const all = collect(client, '*');
    toClient('one', 1);
    toClient('two', 2);
    expect(await emitAck(client, 'echo', 'hi')).toEqual({ echoed: 'hi' });
    expect(all.events()).toEqual(['one', 'two']);
    expect(all.of('two')).toEqual([2]);
    all.stop();
  });
});
