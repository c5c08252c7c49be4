/**
 * Type-level tests: the runtime's types follow the contract object. Run through tsc by vitest's typecheck.
 */
import type { Namespace } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import { createClient, type RuntimeClient } from '../../client/index.js';
import { bindNamespace, createEmitter, type Emitter, type Handlers } from '../../runtime/index.js';
import { chatContract } from './harness.js';

type Chat = typeof chatContract;
declare const nsp: Namespace;
declare const socket: ClientSocket;

describe('server types', () => {
  it('types handler payloads with z.output and results with the reply', () => {
    type H = Handlers<Chat, { name: string }>;
    type Send = NonNullable<H['chat:send_message']>;
    expectTypeOf<Parameters<Send>[0]>().toEqualTypeOf<{ room: string; text: string }>();
    expectTypeOf<Parameters<Send>[1]['user']>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<Parameters<NonNullable<H['move']>>[0]>().toEqualTypeOf<[string, number]>();
    expectTypeOf<Parameters<NonNullable<H['list-rooms']>>[0]>().toEqualTypeOf<undefined>();
    expectTypeOf<Parameters<NonNullable<H['mark-read']>>[0]>().toEqualTypeOf<string[]>();

    bindNamespace(nsp, chatContract, {
      'list-rooms': () => ['a'],
      // @ts-expect-error the reply must match the contract
      'join-room': () => ({ ok: 'yes' }),
    });
    // @ts-expect-error no such client event
    bindNamespace(nsp, chatContract, { 'chat:send-mesage': () => undefined });
  });

  it('types emits by event name, with z.input payloads', () => {
    const emitter = createEmitter(nsp, chatContract);
    expectTypeOf(emitter).toEqualTypeOf<Emitter<Chat>>();
    emitter.emit('server:ping');
    emitter.to('r').except(['s']).emit('presence:update', 'ada', 'online');
    emitter.emit('chat:message', { room: 'r', text: 't', sentAt: '2024-01-01T00:00:00Z' });
    // @ts-expect-error sentAt is a string on the wire (the schema's input), not a Date
    emitter.emit('chat:message', { room: 'r', text: 't', sentAt: new Date() });
    // @ts-expect-error no arguments for a `none` event
    emitter.emit('server:ping', 1);
    // @ts-expect-error the second tuple element is an enum
    emitter.emit('presence:update', 'ada', 'asleep');
    // @ts-expect-error unknown server event
    emitter.emit('nope');
  });
});

describe('client types', () => {
  it('has one method per operation, with tuples as one array, optional call options and typed replies', () => {
    const client = createClient(socket, chatContract);
    expectTypeOf(client).toEqualTypeOf<RuntimeClient<Chat, false>>();
    expectTypeOf(client.socket).toEqualTypeOf<ClientSocket>();
    expectTypeOf(client.listRooms).parameters.toEqualTypeOf<[options?: { timeoutMs?: number }]>();
    expectTypeOf(client.move).parameters.toEqualTypeOf<
      [payload: [string, number], options?: { timeoutMs?: number }]
    >();
    expectTypeOf(client.setStatus).parameters.toEqualTypeOf<[payload: 'online' | 'away']>();
    expectTypeOf(client.setStatus).returns.toEqualTypeOf<void>();
    expectTypeOf(client.markRead).returns.resolves.toEqualTypeOf<
      | { ok: true; count: number }
      | {
          ok: false;
          error: { code: string; message: string; issues: { path: (string | number)[]; message: string }[] };
        }
    >();
    // @ts-expect-error payload required
    void client.joinRoom();
  });

  it('types listeners with the wire form, or the parsed form when validating', () => {
    createClient(socket, chatContract).on('chat:message', (message) => {
      expectTypeOf(message.sentAt).toEqualTypeOf<string>();
    });
    const validating = createClient(socket, chatContract, { validate: true });
    validating.on('chat:message', (message) => {
      expectTypeOf(message.sentAt).toEqualTypeOf<Date>();
    });
    validating.on('presence:update', (name, status) => {
      expectTypeOf(name).toEqualTypeOf<string>();
      expectTypeOf(status).toEqualTypeOf<'online' | 'away'>();
    });
    const off = validating.once('server:ping', () => {});
    expectTypeOf(off).toEqualTypeOf<() => void>();
    // @ts-expect-error not a server event
    validating.on('chat:send_message', () => {});
  });
});
