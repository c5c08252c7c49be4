/**
 * Type-level: the recursive schemas of the golden file (`emit.test.ts` keeps it equal to the emitter's
 * output) infer the recursive types. Run by vitest's typecheck (tsc, our strict tsconfig).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  Add,
  Attachment,
  Expr,
  Message,
  MessageInput,
  NewMessagePayload,
  Room,
  SendMessagePayload,
  TypingPayload,
  User,
} from './fixtures/chat.schemas.gen.js';

describe('recursive component types', () => {
  it('infers `Message.replyTo` as `Message | null`', () => {
    expectTypeOf<Message['replyTo']>().toEqualTypeOf<Message | null>();
    expectTypeOf<NonNullable<Message['replyTo']>['text']>().toEqualTypeOf<string>();
    expectTypeOf<Message>().toEqualTypeOf<{
      id: string;
      text: string;
      sentAt: string;
      replyTo: Message | null;
      attachments?: Attachment[] | undefined;
      pinned: boolean;
      legacyId?: number | undefined;
    }>();
  });

  it('makes a defaulted property optional on input only', () => {
    expectTypeOf<MessageInput['pinned']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Message['pinned']>().toEqualTypeOf<boolean>();
  });

  it('infers mutual recursion (`User` ⇄ `Room`)', () => {
    expectTypeOf<User['rooms']>().toEqualTypeOf<Room[] | undefined>();
    expectTypeOf<Room['owner']>().toEqualTypeOf<User>();
  });

  it('infers a recursive discriminated union through components', () => {
    expectTypeOf<Expr>().toEqualTypeOf<{ kind: 'num'; value: number } | Add>();
    expectTypeOf<Add['left']>().toEqualTypeOf<Expr>();
  });

  it('types payloads that use the recursive components', () => {
    expectTypeOf<SendMessagePayload['replyTo']>().toEqualTypeOf<Message | undefined>();
    expectTypeOf<TypingPayload>().toEqualTypeOf<[string, boolean]>();
    expectTypeOf<z.output<typeof NewMessagePayload>>().toEqualTypeOf<Message>();
  });
});
