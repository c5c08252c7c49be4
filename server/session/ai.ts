/**
 * The AI assistant's answers as streams to one socket: the system prompt it is given, the answers streaming
 * now (so that a stop request finds its stream), and the end of a stream when its socket goes away. Dialects
 * give the words: what a part, the end and a failure are called on their wire.
 */
import type { Socket } from 'socket.io';
import { type ErrorCode, isParleyError, OutboundValidationError } from '../../runtime/errors.js';
import { type Assistant, AssistantError, type AssistantFailure, type ChatTurn } from '../ai/index.js';
import type { Message, User } from '../store/types.js';

/** How many of the room's latest messages the assistant gets as context. */
export const AI_CONTEXT_MESSAGES = 20;

/**
 * The turns of a question: the system prompt (with the room's recent messages, oldest first, when there is a
 * room; `place` completes "The … oldest message first"), then the question.
 */
export function assistantTurns(
  question: string,
  context: { place: string; messages: readonly Message[]; nameOf: (senderId: string) => string },
): ChatTurn[] {
  const transcript = context.messages.map((m) => `${context.nameOf(m.senderId)}: ${m.content}`).join('\n');
  const system =
    'You are the AI assistant of a team chat. Answer the question of the user who asks you, helpfully and ' +
    'concisely.' +
    (transcript ? `\n\nThe ${context.place}, oldest message first:\n${transcript}` : '');
  return [
    { role: 'system', content: system },
    { role: 'user', content: question },
  ];
}

/** The name of a message's author as the dialect shows it, or their id when they are gone. */
export const authorName =
  (authors: ReadonlyMap<string, User>, name: (user: User) => string) =>
  (id: string): string => {
    const user = authors.get(id);
    return user ? name(user) : id;
  };

/** Where a stream's parts go: the dialect's events to the asking socket. */
export interface AnswerSink {
  part(delta: string, index: number): void;
  done(text: string): void;
  /** The answer failed (not stopped): tell the socket; throwing reports the failure as the handler's. */
  failed(error: unknown): void;
}

/** What a failure says to the client: a known error as it is, anything else as `INTERNAL`. */
export function describeFailure(error: unknown): {
  known: boolean;
  code: ErrorCode;
  message: string;
  failure: AssistantFailure | undefined;
} {
  const known = isParleyError(error) && !(error instanceof OutboundValidationError);
  return {
    known,
    code: known ? error.code : 'INTERNAL',
    message: known ? error.message : 'the AI answer failed',
    failure: error instanceof AssistantError ? error.failure : undefined,
  };
}

interface Stream {
  socketId: string;
  controller: AbortController;
  /** What was streamed so far. */
  text: string;
}

/** The answers streaming now, by a key the dialect chooses (a stream id, a socket and a conversation). */
export class AnswerStreams {
  private readonly streams = new Map<string, Stream>();
  private readonly ai: Assistant;

  constructor(ai: Assistant) {
    this.ai = ai;
  }

  get configured(): boolean {
    return this.ai.configured;
  }

  has(key: string): boolean {
    return this.streams.has(key);
  }

  /**
   * Streams the answer to `turns` (computed after the stream is registered, so a stop reaches it meanwhile)
   * into `sink`. A socket that disconnects stops its stream: nobody is left to read it.
   */
  async run(key: string, socket: Socket, turns: () => Promise<ChatTurn[]>, sink: AnswerSink): Promise<void> {
    const entry: Stream = { socketId: socket.id, controller: new AbortController(), text: '' };
    this.streams.set(key, entry);
    const { signal } = entry.controller;
    const stop = () => entry.controller.abort();
    socket.once('disconnect', stop);
    let index = 0;
    try {
      for await (const delta of this.ai.stream(await turns(), { signal })) {
        if (signal.aborted) return;
        entry.text += delta;
        sink.part(delta, index++);
      }
      if (!signal.aborted) sink.done(entry.text);
    } catch (error) {
      if (signal.aborted) return; // stopped (the stop was answered) or disconnected
      sink.failed(error);
    } finally {
      socket.off('disconnect', stop);
      if (this.streams.get(key) === entry) this.streams.delete(key);
    }
  }

  /** Stops the socket's stream under `key`; resolves to what was streamed so far (`undefined`: none). */
  stop(key: string, socket: Socket): string | undefined {
    const entry = this.streams.get(key);
    if (!entry || entry.socketId !== socket.id) return undefined;
    this.streams.delete(key);
    entry.controller.abort();
    return entry.text;
  }
}
