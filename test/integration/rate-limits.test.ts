/**
 * One budget per user and bucket, whichever door they use: the chat core takes the token, so `/messenger`,
 * `/chatterbox` and `/helpdesk` (which never consulted the limiter) refuse a flood too, each in its own words,
 * and a user who spent their messages on one namespace has none left on another.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from './kit.js';

/** Three messages, and no refill within a test. */
const BURST = 3;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ domain: { rateLimits: { message: { burst: BURST, perSecond: 0.001 } } } });
  await t.server.domain.users.ensure('dave');
  await t.server.domain.rooms.join('dave', 'general');
});
afterAll(async () => {
  await t.close();
});

const ack = <T>(socket: Socket, event: string, payload: unknown) =>
  socket.timeout(3000).emitWithAck(event, payload) as Promise<T>;

async function helpdesk(user: string): Promise<Socket> {
  const socket = await t.connect('/helpdesk', null);
  const done = nextEvent(socket, 'authenticated');
  socket.emit('authenticate', await t.server.auth.issueToken!(user));
  await done;
  return socket;
}

describe('rate limits on every door', () => {
  it('/messenger: the send after the burst is refused with RATE_LIMITED and stores nothing', async () => {
    const alice = await t.connect('/messenger', 'alice');
    const send = (content: string) =>
      ack<{ success: boolean; message?: unknown }>(alice, 'send_message', {
        conversationId: 'alice-bob',
        content,
        type: 'text',
      });
    for (let i = 0; i < BURST; i++) expect(await send(`ok ${i}`)).toMatchObject({ success: true });
    const before = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 100 });
    expect(await send('one too many')).toEqual({
      success: false,
      message: expect.stringMatching(/^too many messages: at most 3 at once; retry in \d+ ms$/),
    });
    const after = await t.server.domain.messages.history('alice', 'alice-bob', { limit: 100 });
    expect(after.messages.length).toBe(before.messages.length);
  });

  it('/chatterbox: a flood without acknowledgements is refused on `error` after the burst', async () => {
    const socket = await t.connect('/chatterbox', 'bob');
    const refusals = new Promise<{ code: string }[]>((resolve) => {
      const errors: { code: string }[] = [];
      socket.on('error', (error: { code: string }) => {
        errors.push(error);
        if (errors.length === 2) resolve(errors);
      });
    });
    for (let i = 0; i < BURST + 2; i++)
      socket.emit('send-message', { conversationId: 'alice-bob', content: `m${i}` });
    expect(await refusals).toMatchObject([{ code: 'RATE_LIMITED' }, { code: 'RATE_LIMITED' }]);
    // Each socket's events run in order: the refusals came after the sends of the burst were stored.
    const { messages } = await t.server.domain.messages.history('bob', 'alice-bob', { limit: 100 });
    expect(messages.filter((m) => m.senderId === 'bob').map((m) => m.content)).toEqual(['m0', 'm1', 'm2']);
  });

  it('/helpdesk: the send after the burst is refused on chat:error', async () => {
    const carol = await helpdesk('carol');
    const errors: unknown[] = [];
    carol.on('chat:error', (error: unknown) => errors.push(error));
    for (let i = 0; i < BURST; i++)
      carol.emit('chat:send_message', { channelId: 'general', message: `c${i}` });
    const refused = nextEvent<string>(carol, 'chat:error');
    carol.emit('chat:send_message', { channelId: 'general', message: 'one too many' });
    expect(await refused).toMatch(/^too many messages: at most 3 at once; retry in \d+ ms$/);
    expect(errors).toHaveLength(1);
  });

  it('shares the budget across namespaces: spent on /messenger, refused on /helpdesk and on /', async () => {
    const messenger = await t.connect('/messenger', 'dave');
    for (let i = 0; i < BURST; i++) {
      const sent = await ack<{ success: boolean }>(messenger, 'send_message', {
        conversationId: 'general',
        content: `d${i}`,
        type: 'text',
      });
      expect(sent).toMatchObject({ success: true });
    }
    const desk = await helpdesk('dave');
    const refused = nextEvent<string>(desk, 'chat:error');
    desk.emit('chat:send_message', { channelId: 'general', message: 'elsewhere' });
    expect(await refused).toMatch(/^too many messages/);

    const canonical = await t.connect('/', 'dave');
    const notice = nextEvent(canonical, 'rate_limit:exceeded');
    const answer = await ack<{ ok: boolean; error?: { code: string } }>(canonical, 'message:send', {
      roomId: 'general',
      content: 'and here',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await notice).toMatchObject({ event: 'message:send', limit: BURST, remaining: 0 });
  });
});
