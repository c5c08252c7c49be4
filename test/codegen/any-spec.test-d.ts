/**
 * The types generated from documents written without Parley in mind (`test/fixtures/any-spec`): tuples closed,
 * open and with a rest, a bare number, events without payload, and an ack after several arguments.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { BoardClient } from '../fixtures/any-spec/__snapshots__/plain/board/client.gen.js';
import type * as board from '../fixtures/any-spec/__snapshots__/plain/board/schemas.gen.js';
import type { RootClient } from '../fixtures/any-spec/__snapshots__/zod-sockets/root/client.gen.js';
import type { RootClientToServerEvents } from '../fixtures/any-spec/__snapshots__/zod-sockets/root/events.gen.js';
import type * as root from '../fixtures/any-spec/__snapshots__/zod-sockets/root/schemas.gen.js';

describe('plain.yaml', () => {
  it('a closed tuple is exactly its arguments; a bare number and a bare list are one value', () => {
    expectTypeOf<board.MovePayloadInput>().toEqualTypeOf<[string, number]>();
    expectTypeOf<board.VolumePayload>().toEqualTypeOf<number>();
    expectTypeOf<board.ListBoardsAckPayload>().toEqualTypeOf<string[]>();
  });

  it('an event without payload takes no argument, and its call resolves to the ack', () => {
    expectTypeOf<Parameters<BoardClient['ping']>>().toEqualTypeOf<[options?: { timeoutMs?: number }]>();
    expectTypeOf<ReturnType<BoardClient['ping']>>().toEqualTypeOf<Promise<number>>();
  });
});

describe('zod-sockets.yaml', () => {
  it('a rest tuple keeps its rest, with or without listed items', () => {
    expectTypeOf<root.RootAckForIncomingPingPayload>().toEqualTypeOf<['pong', ...unknown[]]>();
    expectTypeOf<root.RootIncomingPingPayloadInput>().toEqualTypeOf<unknown[]>();
    expectTypeOf<root.RootOutgoingSecretPayload>().toEqualTypeOf<[string]>();
  });

  it('several arguments then an ack are one parameter tuple, the ack last', () => {
    type Ack = (...args: ['pong', ...unknown[]]) => void;
    expectTypeOf<Parameters<RootClientToServerEvents['ping']>>().toEqualTypeOf<[...unknown[], ack: Ack]>();
    expectTypeOf<ReturnType<RootClient['ping']>>().toEqualTypeOf<Promise<['pong', ...unknown[]]>>();
  });
});
