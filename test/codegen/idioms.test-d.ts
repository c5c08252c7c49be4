/**
 * Type-level tests of the generated surface for the idioms fixture: what must compile does, and a wrong event
 * name, a wrong payload or a wrong ack type each fail to compile (`@ts-expect-error` fails if they don't).
 */
import type { Namespace } from 'socket.io';
import { describe, expectTypeOf, it } from 'vitest';
import type { IdiomsClient } from '../fixtures/__snapshots__/idioms/idioms/client.gen.js';
import type { IdiomsNamespace } from '../fixtures/__snapshots__/idioms/idioms/events.gen.js';
import type * as models from '../fixtures/__snapshots__/idioms/idioms/models.gen.js';
import type * as s from '../fixtures/__snapshots__/idioms/idioms/schemas.gen.js';
import { type IdiomsHandlers, registerIdioms } from '../fixtures/__snapshots__/idioms/idioms/server.gen.js';

declare const client: IdiomsClient;
declare const nsp: IdiomsNamespace;
declare const rawNsp: Namespace;

describe('client', () => {
  it('types each client event as a method', () => {
    expectTypeOf(client.chatPost)
      .parameter(0)
      .toEqualTypeOf<{ roomId: string; text: string; kind?: 'text' | 'image' | undefined }>();
    expectTypeOf(client.chatPost({ roomId: 'r', text: 'hi' })).resolves.toEqualTypeOf<s.PostAckPayload>();
    expectTypeOf(client.joinChannel).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(client.setVolume).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(client.joinMany).parameter(0).toEqualTypeOf<string[]>();
    expectTypeOf(client.ping).parameters.toEqualTypeOf<[]>();
    expectTypeOf(client.presenceGetOnlineUsers()).resolves.toEqualTypeOf<s.OnlineUsersAckPayload>();
    expectTypeOf(client.move).parameter(0).toEqualTypeOf<[string, number]>();
  });

  it('refuses wrong names, payloads and ack use', async () => {
    // @ts-expect-error - no such client event
    client.chatDelete({ roomId: 'r' });
    // @ts-expect-error - roomId must be a string
    client.chatPost({ roomId: 1, text: 'hi' });
    // @ts-expect-error - text is required
    client.chatPost({ roomId: 'r' });
    // @ts-expect-error - kind is an enum
    client.chatPost({ roomId: 'r', text: 'hi', kind: 'video' });
    // @ts-expect-error - join_channel takes a bare string
    client.joinChannel({ channelId: 'general' });
    // @ts-expect-error - ping takes no payload
    client.ping('now');
    const ack = await client.chatPost({ roomId: 'r', text: 'hi' });
    // @ts-expect-error - the ack is a union: `id` exists only once `ok` is narrowed to true
    ack.id;
    if (ack.ok) expectTypeOf(ack.id).toEqualTypeOf<string>();
    // @ts-expect-error - the ack of presence:get_online_users is a list, not an object
    (await client.presenceGetOnlineUsers()).userId;
  });

  it('types server events for on/off/once, and rejects unknown ones', () => {
    client.on('message:new', (message) => {
      expectTypeOf(message.replyTo).toEqualTypeOf<s.Message | null>();
    });
    client.on('presence:update', (updates) => expectTypeOf(updates).toBeArray());
    // @ts-expect-error - no such server event
    client.on('message:gone', () => {});
    // @ts-expect-error - connect_error is Socket.IO's reserved event, not part of the map
    client.on('connect_error', () => {});
  });
});

describe('server', () => {
  it('types handlers with the validated payload and the ack', () => {
    const handlers: Partial<IdiomsHandlers> = {
      'chat:post': (payload) => {
        expectTypeOf(payload.kind).toEqualTypeOf<'text' | 'image'>(); // output type: the default is applied
        return { ok: true, id: 'm1' };
      },
      'presence:update': (payload) => {
        expectTypeOf(payload.status).toEqualTypeOf<'ONLINE' | 'AWAY' | 'OFFLINE'>();
      },
      move: (payload) => {
        expectTypeOf(payload).toEqualTypeOf<[string, number]>();
      },
      ping: (payload) => {
        expectTypeOf(payload).toEqualTypeOf<undefined>();
      },
    };
    registerIdioms(rawNsp, handlers);
    registerIdioms(rawNsp, {
      // @ts-expect-error - the ack must match the reply schema
      'chat:post': () => ({ ok: 'yes' }),
    });
    registerIdioms(rawNsp, {
      // @ts-expect-error - no such client event
      'chat:delete': () => undefined,
    });
  });

  it('types the namespace event maps', () => {
    nsp.emit('presence:update', [{ userId: 'u1', status: 'AWAY' }]);
    // @ts-expect-error - the server-to-client presence:update is a list (the client-to-server one is an object)
    nsp.emit('presence:update', { status: 'AWAY' });
    // @ts-expect-error - no such server event
    nsp.emit('message:gone', {});
    nsp.on('connection', (socket) => {
      socket.on('chat:post', (payload, ack) => {
        expectTypeOf(payload.roomId).toEqualTypeOf<string>();
        ack({ ok: true, id: 'm1' });
        // @ts-expect-error - wrong ack type
        ack({ ok: 'yes' });
      });
    });
  });
});

describe('models', () => {
  it('agree with the zod input types (both describe the JSON on the wire)', () => {
    expectTypeOf<models.PostPayload>().toEqualTypeOf<s.PostPayloadInput>();
    expectTypeOf<models.Message>().toEqualTypeOf<s.MessageInput>();
    expectTypeOf<models.JoinManyPayload>().toEqualTypeOf<s.JoinManyPayloadInput>();
    expectTypeOf<models.MovePayload>().toEqualTypeOf<s.MovePayloadInput>();
    expectTypeOf<models.PresenceOutPayload>().toEqualTypeOf<s.PresenceOutPayloadInput>();
    expectTypeOf<models.PresenceInPayload>().toEqualTypeOf<s.PresenceInPayloadInput>();
    expectTypeOf<models.JoinChannelPayload>().toEqualTypeOf<s.JoinChannelPayloadInput>();
    expectTypeOf<models.SetVolumePayload>().toEqualTypeOf<s.SetVolumePayloadInput>();
    expectTypeOf<models.OnlineUsersAckPayload>().toEqualTypeOf<s.OnlineUsersAckPayloadInput>();
    expectTypeOf<models.MessagePayload>().toEqualTypeOf<s.MessagePayloadInput>();
    expectTypeOf<models.ConnectErrorPayload>().toEqualTypeOf<s.ConnectErrorPayloadInput>();
  });

  it('are wider than zod only where Modelina cannot say more (boolean const, untyped object items)', () => {
    // Modelina types `const: true` as boolean, and `items: { type: object }` as Record<string, any>.
    expectTypeOf<s.PostAckPayloadInput>().toExtend<models.PostAckPayload>();
    expectTypeOf<models.PostAckPayload>().not.toEqualTypeOf<s.PostAckPayloadInput>();
    expectTypeOf<s.ErrorPayloadInput>().toExtend<models.ErrorPayload>();
  });
});
