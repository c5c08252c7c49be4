/**
 * The canonical namespace `/`: Parley's own protocol over the shared chat core. Every command answers its ack
 * `{ ok: true, data }` (the runtime renders failures as `{ ok: false, error }`); what happened is announced
 * from the chat event bus, so changes made through any dialect reach canonical clients too.
 *
 * Socket.IO rooms: a socket is in `room:<id>` for each room its user is a member of (the handshake joins them)
 * and in `user:<id>` (every tab of its user). Joining and leaving here subscribes and unsubscribes every socket
 * of the user in this namespace.
 */
import { randomBytes } from 'node:crypto';
import type { CanonicalContract } from '../../generated/canonical/contract.gen.js';
import type * as wire from '../../generated/canonical/schemas.gen.js';
import type { CanonicalContext, CanonicalHandlers } from '../../generated/canonical/server.gen.js';
import { isParleyError, OutboundValidationError, ParleyError } from '../../runtime/errors.js';
import type { Emitter } from '../../runtime/server.js';
import {
  type Assistant,
  AssistantError,
  type ChatTurn,
  createAssistant,
  NOT_CONFIGURED_MESSAGE,
} from '../ai/index.js';
import type { Chat } from '../core/chat.js';
import type { ChatEvent, FileNotice } from '../core/events.js';
import type { Call } from '../domain/calls.js';
import { countReactions, type ReactionCount, requireMember, requireReadable } from '../domain/index.js';
import type { PresenceState } from '../domain/presence.js';
import type { ReactionResult } from '../domain/reactions.js';
import type { MountDeps } from '../namespaces.js';
import type { RoomOfUser } from '../store/store.js';
import type { Attachment, Message, Room, User } from '../store/types.js';
import { roomKey, userKey } from '../transport/rooms.js';

/** What a deleted message's content becomes (the domain's default, so every dialect shows the same). */
export const DELETED_TEXT = 'This message was deleted';

/** Recent messages of the room the assistant sees with a question. */
const AI_CONTEXT_MESSAGES = 20;

type Ctx = CanonicalContext<User>;

const ok = <T>(data: T) => ({ ok: true as const, data });
const now = () => new Date().toISOString();

// ------------------------------------------------------------------------------------------------ session

/** The `session:ready` welcome: who the user is and their rooms with unread counts. */
export async function canonicalWelcome(
  user: User,
  { chat }: MountDeps,
): Promise<wire.SessionReadyPayloadInput> {
  const [me, rooms] = await Promise.all([profile(chat, user), roomEntries(chat, user.id)]);
  return { user: me, rooms, serverTime: now() };
}

/** The ack of `reaction:add` and `reaction:remove`. */
function reactionAck(result: ReactionResult) {
  return {
    roomId: result.message.roomId,
    messageId: result.message.id,
    changed: result.changed,
    reactions: result.counts,
  };
}

async function profile(chat: Chat, user: User): Promise<wire.CanonicalUserInput> {
  return {
    ...userRef(user),
    role: user.role,
    status: await chat.domain.presence.statusOf(user.id),
    statusMessage: user.statusMessage,
    lastSeen: user.lastSeen,
  };
}

async function roomEntries(chat: Chat, userId: string): Promise<wire.CanonicalRoomEntryInput[]> {
  const [rooms, unread] = await Promise.all([
    chat.domain.rooms.roomsOf(userId),
    chat.domain.receipts.unreadCounts(userId),
  ]);
  return rooms.map(({ room, membership }: RoomOfUser) => ({
    room: roomOut(room),
    role: membership.role,
    joinedAt: membership.joinedAt,
    unreadCount: unread[room.id] ?? 0,
  }));
}

// ------------------------------------------------------------------------------------------------ handlers

interface AiStream {
  socketId: string;
  controller: AbortController;
  text: string;
}

export function canonicalHandlers(deps: MountDeps) {
  const { chat } = deps;
  const { domain } = chat;
  const ai: Assistant = deps.ai ?? createAssistant();
  /** Answers streaming now, by stream id. */
  const streams = new Map<string, AiStream>();

  /** Every socket of these users in this namespace enters the room. */
  const subscribe = ({ socket }: Ctx, userIds: readonly string[], roomId: string) => {
    if (userIds.length > 0) socket.nsp.in(userIds.map(userKey)).socketsJoin(roomKey(roomId));
  };
  const unsubscribe = ({ socket }: Ctx, userId: string, roomIds: readonly string[]) => {
    if (roomIds.length > 0) socket.nsp.in(userKey(userId)).socketsLeave(roomIds.map(roomKey));
  };

  /** A token from the user's bucket for `eventClass`, or `rate_limit:exceeded` to the socket and RATE_LIMITED. */
  const limit = ({ user, socket, emit, event }: Ctx, eventClass: string, what: string) => {
    const result = domain.rateLimiter.take(user.id, eventClass);
    if (result.allowed) return;
    emit.toSocket(socket).emit('rate_limit:exceeded', {
      event,
      limit: result.limit,
      remaining: result.remaining,
      resetMs: result.resetMs,
      retryAfterMs: result.retryAfterMs,
    });
    throw new ParleyError(
      'RATE_LIMITED',
      `too many ${what}: at most ${result.limit} at once; retry in ${result.retryAfterMs} ms`,
      { details: result },
    );
  };

  const announceJoin = async (room: Room, userId: string, at: string) =>
    chat.bus.emit({ type: 'room.joined', room, user: await domain.users.get(userId), newMember: true, at });
  const announceLeave = async (room: Room, userId: string) =>
    chat.bus.emit({
      type: 'room.left',
      room,
      user: await domain.users.get(userId),
      reason: 'leave',
      at: now(),
    });

  /** Streams an answer to the asking socket; every failure becomes `ai:error`. */
  const answer = async (streamId: string, entry: AiStream, turns: ChatTurn[], ctx: Ctx) => {
    const to = ctx.emit.toSocket(ctx.socket);
    const { signal } = entry.controller;
    let index = 0;
    try {
      for await (const delta of ai.stream(turns, { signal })) {
        if (signal.aborted) return;
        entry.text += delta;
        to.emit('ai:chunk', { streamId, index: index++, delta });
      }
      if (!signal.aborted) to.emit('ai:done', { streamId, content: entry.text, stopped: false });
    } catch (error) {
      if (signal.aborted) return; // stopped (ai:stop answered) or disconnected
      const known = isParleyError(error) && !(error instanceof OutboundValidationError);
      deps.log.warn(
        {
          event: 'ai:ask',
          nsp: ctx.socket.nsp.name,
          user: ctx.user.id,
          failure: error instanceof AssistantError ? error.failure : undefined,
          err: known ? undefined : error,
        },
        known ? error.message : 'the AI answer failed',
      );
      to.emit('ai:error', {
        streamId,
        code: known ? error.code : 'INTERNAL',
        message: known ? error.message : 'the AI answer failed',
      });
    } finally {
      if (streams.get(streamId) === entry) streams.delete(streamId);
    }
  };

  const aiContext = async (userId: string, roomId: string | undefined, prompt: string) => {
    let transcript = '';
    if (roomId !== undefined) {
      const { messages } = await domain.messages.history(userId, roomId, { limit: AI_CONTEXT_MESSAGES });
      const recent = messages.filter((m) => m.deletedAt === null && m.content !== '');
      const names = await usersById(
        chat,
        recent.map((m) => m.senderId),
      );
      transcript = recent
        .map((m) => `${names.get(m.senderId)?.displayName ?? m.senderId}: ${m.content}`)
        .join('\n');
    }
    const system =
      'You are the AI assistant of a team chat. Answer the question of the user who asks you, helpfully and ' +
      'concisely.' +
      (transcript ? `\n\nThe room they ask about, oldest message first:\n${transcript}` : '');
    const turns: ChatTurn[] = [
      { role: 'system', content: system },
      { role: 'user', content: prompt },
    ];
    return turns;
  };

  return {
    'system:ping'() {
      return ok({ serverTime: now() });
    },

    // -------------------------------------------------------------------------------------------- rooms

    async 'room:create'(payload, ctx) {
      const { room, created, members } = await domain.rooms.create(ctx.user.id, {
        kind: payload.kind,
        name: payload.name,
        description: payload.description,
        topic: payload.topic,
        private: payload.private,
        members: payload.members,
      });
      if (created) {
        subscribe(
          ctx,
          members.map((m) => m.userId),
          room.id,
        );
        for (const member of members) await announceJoin(room, member.userId, member.joinedAt);
      }
      return ok({ room: roomOut(room), created });
    },

    async 'room:update'({ roomId, name, description, topic }, { user }) {
      const { room, changes } = await domain.rooms.update(user.id, roomId, { name, description, topic });
      if (Object.keys(changes).length > 0) {
        chat.bus.emit({
          type: 'room.updated',
          room,
          changes,
          by: await domain.users.get(user.id),
          at: now(),
        });
      }
      return ok({ room: roomOut(room), changes });
    },

    async 'room:join'({ roomId }, ctx) {
      const { room, membership, joined } = await domain.rooms.join(ctx.user.id, roomId);
      subscribe(ctx, [ctx.user.id], room.id);
      if (joined) await announceJoin(room, ctx.user.id, membership.joinedAt);
      return ok({ room: roomOut(room), role: membership.role, joined });
    },

    async 'room:join_many'({ roomIds }, ctx) {
      const results = await domain.rooms.joinMany(ctx.user.id, roomIds);
      for (const { room, membership, joined } of results) {
        subscribe(ctx, [ctx.user.id], room.id);
        if (joined) await announceJoin(room, ctx.user.id, membership.joinedAt);
      }
      return ok({
        rooms: results.map(({ room, membership, joined }) => ({
          room: roomOut(room),
          role: membership.role,
          joined,
        })),
      });
    },

    async 'room:leave'({ roomId }, ctx) {
      const { room, left } = await domain.rooms.leave(ctx.user.id, roomId);
      if (left) await announceLeave(room, ctx.user.id);
      unsubscribe(ctx, ctx.user.id, [room.id]);
      return ok({ roomId: room.id, left });
    },

    async 'room:leave_all'(_payload, ctx) {
      const rooms = await domain.rooms.leaveAll(ctx.user.id);
      for (const room of rooms) await announceLeave(room, ctx.user.id);
      unsubscribe(
        ctx,
        ctx.user.id,
        rooms.map((room) => room.id),
      );
      return ok({ roomIds: rooms.map((room) => room.id) });
    },

    async 'room:members'({ roomId }, { user }) {
      const members = await domain.rooms.members(user.id, roomId);
      return ok({
        roomId,
        members: await Promise.all(
          members.map(async ({ membership, user: member }) => ({
            user: userRef(member),
            role: membership.role,
            joinedAt: membership.joinedAt,
            status: await domain.presence.statusOf(member.id),
          })),
        ),
      });
    },

    async 'room:list'(_payload, { user }) {
      return ok({ rooms: await roomEntries(chat, user.id) });
    },

    // -------------------------------------------------------------------------------------------- messages

    async 'message:send'(payload, ctx) {
      limit(ctx, 'message', 'messages');
      const { message, sender, duplicate } = await chat.sendMessage(ctx.user.id, {
        roomId: payload.roomId,
        content: payload.content,
        type: payload.type,
        replyToId: payload.replyToId,
        attachments: payload.attachments?.map(({ uploadId }) => ({ uploadId })),
        clientMessageId: payload.clientMessageId,
      });
      const reactions = duplicate ? await reactionsOf(chat, message.id) : [];
      return ok({ message: messageOut(message, sender, reactions), duplicate });
    },

    async 'message:edit'({ messageId, content }, ctx) {
      limit(ctx, 'message', 'messages');
      const message = await chat.editMessage(ctx.user.id, messageId, content);
      return ok({ message: (await messagesOut(chat, [message]))[0]! });
    },

    async 'message:delete'({ messageId }, { user }) {
      const message = await chat.deleteMessage(user.id, messageId, DELETED_TEXT);
      return ok({ message: (await messagesOut(chat, [message]))[0]! });
    },

    async 'message:forward'({ messageId, targetRoomId, clientMessageId }, ctx) {
      limit(ctx, 'message', 'messages');
      const { message, sender, duplicate } = await chat.forwardMessage(ctx.user.id, messageId, targetRoomId, {
        clientMessageId,
      });
      const reactions = duplicate ? await reactionsOf(chat, message.id) : [];
      return ok({ message: messageOut(message, sender, reactions), duplicate });
    },

    async 'message:history'({ roomId, before, after, limit: size }, { user }) {
      const page = await domain.messages.history(user.id, roomId, { before, after, limit: size });
      const edge = after === undefined ? page.messages[0] : page.messages.at(-1);
      return ok({
        roomId,
        messages: await messagesOut(chat, page.messages),
        hasMore: page.hasMore,
        cursor: edge?.seq ?? after ?? null,
      });
    },

    async 'message:catch_up'({ cursor, limit: size }, { user }) {
      const page = await domain.messages.catchUp(user.id, { cursor, limit: size });
      return ok({
        messages: await messagesOut(chat, page.messages),
        cursor: page.cursor,
        hasMore: page.hasMore,
      });
    },

    // -------------------------------------------------------------------------------------------- reactions

    async 'reaction:add'({ messageId, emoji }, ctx) {
      limit(ctx, 'reaction', 'reactions');
      return ok(reactionAck(await chat.addReaction(ctx.user.id, messageId, emoji)));
    },

    async 'reaction:remove'({ messageId, emoji }, ctx) {
      limit(ctx, 'reaction', 'reactions');
      return ok(reactionAck(await chat.removeReaction(ctx.user.id, messageId, emoji)));
    },

    // -------------------------------------------------------------------------------------------- receipts

    async 'receipt:mark_read'(payload, { user }) {
      if ('messageIds' in payload) await chat.markMessagesRead(user.id, payload.roomId, payload.messageIds);
      else await chat.markReadUpTo(user.id, payload.roomId, payload.upToMessageId ?? null);
      const unread = await domain.receipts.unreadCounts(user.id);
      return ok({ roomId: payload.roomId, unreadCount: unread[payload.roomId] ?? 0 });
    },

    // -------------------------------------------------------------------------------------------- typing

    async 'typing:start'({ roomId }, ctx) {
      limit(ctx, 'typing', 'typing indicators');
      await domain.typing.start(ctx.user.id, roomId, ctx.socket.id);
      return ok({ roomId, userIds: domain.typing.typingIn(roomId) });
    },

    async 'typing:stop'({ roomId }, { user }) {
      // The domain's stop only clears; the list of who types is for members.
      await requireMember(domain.store, user.id, roomId, 'type');
      domain.typing.stop(user.id, roomId);
      return ok({ roomId, userIds: domain.typing.typingIn(roomId) });
    },

    // -------------------------------------------------------------------------------------------- presence

    async 'presence:set'({ status, statusMessage }, { user }) {
      const state = await chat.setStatus(user.id, { status, statusMessage });
      return ok({ presence: presenceOut(state) });
    },

    async 'presence:query'() {
      return ok({ users: (await domain.presence.onlineUsers()).map(presenceOut) });
    },

    // -------------------------------------------------------------------------------------------- files

    async 'file:announce'({ roomId, uploadId, messageId }, { user }) {
      const upload = await domain.uploads.get(user.id, uploadId);
      if (messageId !== undefined) {
        const message = await domain.messages.get(user.id, messageId);
        if (message.roomId !== roomId) {
          throw new ParleyError(
            'VALIDATION_FAILED',
            `messageId: message ${messageId} is not in room ${roomId}`,
            {
              issues: [{ path: ['messageId'], message: `not a message of room ${roomId}`, code: 'custom' }],
            },
          );
        }
      }
      const notice = await chat.fileUploaded(user.id, {
        roomId,
        fileName: upload.filename,
        fileSize: upload.size,
        fileType: upload.mimeType,
        messageId: messageId ?? null,
      });
      return ok({ file: fileOut(notice, user) });
    },

    // -------------------------------------------------------------------------------------------- broadcasts

    async 'broadcast:send'({ message, priority }, ctx) {
      // Authorization first: only an admin's broadcasts count against the limit.
      const broadcast = await domain.broadcasts.send(ctx.user.id, { message, priority });
      limit(ctx, 'broadcast', 'broadcasts');
      chat.bus.emit({ type: 'broadcast', broadcast });
      return ok({ broadcast });
    },

    // -------------------------------------------------------------------------------------------- calls

    async 'call:invite'({ targetUserId, callType, offer }, ctx) {
      limit(ctx, 'call', 'calls');
      return ok({ call: callOut(await chat.inviteCall(ctx.user.id, { targetUserId, callType, offer })) });
    },

    'call:accept'({ callId, answer }, { user }) {
      return ok({ call: callOut(chat.acceptCall(user.id, callId, answer)) });
    },

    'call:reject'({ callId }, { user }) {
      return ok({ call: callOut(chat.rejectCall(user.id, callId)) });
    },

    'call:end'({ callId }, { user }) {
      return ok({ call: callOut(chat.endCall(user.id, callId)) });
    },

    async 'call:ice'({ callId, candidate }, { user }) {
      await chat.relayIce(user.id, { callId }, candidate);
      return ok({ callId });
    },

    // -------------------------------------------------------------------------------------------- AI

    async 'ai:ask'({ prompt, roomId }, ctx) {
      if (!ai.configured) throw new AssistantError('not-configured', NOT_CONFIGURED_MESSAGE);
      if (roomId !== undefined) await requireReadable(domain.store, ctx.user.id, roomId, 'ask about');
      limit(ctx, 'ai', 'questions to the assistant');
      const turns = await aiContext(ctx.user.id, roomId, prompt);
      const streamId = `ai_${randomBytes(8).toString('hex')}`;
      const entry: AiStream = { socketId: ctx.socket.id, controller: new AbortController(), text: '' };
      streams.set(streamId, entry);
      // Nobody is left to read the answer: stop the upstream request.
      const stop = () => entry.controller.abort();
      ctx.socket.once('disconnect', stop);
      // After the ack is on its way, so the client knows the stream id before the first part.
      setImmediate(() => {
        void answer(streamId, entry, turns, ctx).finally(() => ctx.socket.off('disconnect', stop));
      });
      return ok({ streamId });
    },

    'ai:stop'({ streamId }, { socket, emit }) {
      const entry = streams.get(streamId);
      if (!entry || entry.socketId !== socket.id) return ok({ streamId, stopped: false });
      streams.delete(streamId);
      entry.controller.abort();
      emit.toSocket(socket).emit('ai:done', { streamId, content: entry.text, stopped: true });
      return ok({ streamId, stopped: true });
    },
  } satisfies CanonicalHandlers<User>;
}

// ------------------------------------------------------------------------------------------------ events

/**
 * Tells canonical clients what happened anywhere in the chat. Events are handled one after another, in the
 * order the bus delivered them, even when one needs a lookup (a sender, a membership, reactions).
 */
export function canonicalEvents(emit: Emitter<CanonicalContract>, deps: MountDeps) {
  const { chat } = deps;
  const { store } = chat.domain;
  let queue: Promise<void> = Promise.resolve();

  const translate = async (event: ChatEvent): Promise<void> => {
    switch (event.type) {
      case 'message.created':
        emit.to(roomKey(event.message.roomId)).emit('message:created', {
          roomId: event.message.roomId,
          message: messageOut(event.message, event.sender, []),
        });
        return;
      case 'message.edited': {
        const [message] = await messagesOut(chat, [event.message]);
        emit
          .to(roomKey(event.message.roomId))
          .emit('message:updated', { roomId: event.message.roomId, message: message! });
        return;
      }
      case 'message.deleted': {
        const [message] = await messagesOut(chat, [event.message]);
        emit.to(roomKey(event.message.roomId)).emit('message:deleted', {
          roomId: event.message.roomId,
          message: message!,
          deletedBy: userRef(event.deleter),
        });
        return;
      }
      case 'reaction.added':
      case 'reaction.removed':
        emit.to(roomKey(event.message.roomId)).emit('reaction:updated', {
          roomId: event.message.roomId,
          messageId: event.message.id,
          userId: event.user.id,
          emoji: event.emoji,
          action: event.type === 'reaction.added' ? 'added' : 'removed',
          reactions: event.counts,
        });
        return;
      case 'messages.read':
        emit.to(roomKey(event.roomId)).emit('receipt:updated', {
          roomId: event.roomId,
          userId: event.reader.id,
          readAt: event.readAt,
          messageIds: event.messageIds,
        });
        return;
      case 'messages.read-up-to':
        emit.to(roomKey(event.roomId)).emit('receipt:updated', {
          roomId: event.roomId,
          userId: event.reader.id,
          readAt: event.readAt,
          upToMessageId: event.messageId,
        });
        return;
      case 'typing.changed':
        emit
          .to(roomKey(event.roomId))
          .except(userKey(event.user.id))
          .emit('typing:updated', { roomId: event.roomId, users: event.typing.map(userRef) });
        return;
      case 'presence.online':
        emit.except(userKey(event.user.id)).emit('presence:updated', {
          ...presenceOut(event.state),
          connectionCount: event.connectionCount,
        });
        return;
      case 'presence.offline':
        emit.except(userKey(event.user.id)).emit('presence:updated', {
          userId: event.user.id,
          status: 'offline',
          statusMessage: event.user.statusMessage,
          connectionCount: 0,
          lastSeen: event.lastSeen,
        });
        return;
      case 'presence.status':
        emit.emit('presence:updated', presenceOut(event.state));
        return;
      case 'room.joined': {
        // Another dialect's join may only subscribe a socket of an existing member: not news here.
        if (!event.newMember) return;
        const membership = await store.getMembership(event.room.id, event.user.id);
        if (!membership) return;
        emit.to([roomKey(event.room.id), userKey(event.user.id)]).emit('room:member_joined', {
          roomId: event.room.id,
          room: roomOut(event.room),
          user: userRef(event.user),
          role: membership.role,
          joinedAt: membership.joinedAt,
        });
        return;
      }
      case 'room.left': {
        // A dialect whose "leave" only unsubscribes a socket keeps the membership: not news here.
        if (await store.getMembership(event.room.id, event.user.id)) return;
        emit.to([roomKey(event.room.id), userKey(event.user.id)]).emit('room:member_left', {
          roomId: event.room.id,
          user: userRef(event.user),
          leftAt: event.at,
        });
        return;
      }
      case 'room.updated':
        if (Object.keys(event.changes).length === 0) return;
        emit.to(roomKey(event.room.id)).emit('room:updated', {
          roomId: event.room.id,
          room: roomOut(event.room),
          changes: event.changes,
          updatedBy: userRef(event.by),
          updatedAt: event.at,
        });
        return;
      case 'broadcast':
        emit.emit('broadcast:received', event.broadcast);
        return;
      case 'file.uploaded':
        emit.to(roomKey(event.notice.roomId)).emit('file:uploaded', fileOut(event.notice, event.by));
        return;
      case 'call.invited':
        emit.to(userKey(event.call.calleeId)).emit('call:incoming', {
          ...parties(event.call),
          caller: userRef(event.caller),
          callType: event.call.callType,
          offer: event.offer as wire.CanonicalSessionDescriptionInput,
        });
        return;
      case 'call.accepted':
        emit.to(bothParties(event.call)).emit('call:accepted', {
          ...parties(event.call),
          answer: event.answer as wire.CanonicalSessionDescriptionInput,
        });
        return;
      case 'call.rejected':
        emit.to(bothParties(event.call)).emit('call:rejected', parties(event.call));
        return;
      case 'call.ended':
        emit.to(bothParties(event.call)).emit('call:ended', {
          ...parties(event.call),
          reason: event.call.state === 'missed' ? 'missed' : 'ended',
          endedBy: event.call.endedBy,
        });
        return;
      case 'call.ice':
        emit.to(userKey(event.to)).emit('call:ice', {
          callId: event.call.id,
          fromUserId: event.from.id,
          toUserId: event.to,
          candidate: event.candidate as wire.CanonicalIceCandidateInput,
        });
        return;
      case 'message.forwarded':
        return; // the copy's `message.created` told everyone
    }
  };

  return (event: ChatEvent): void => {
    queue = queue
      .then(() => translate(event))
      .catch((error: unknown) =>
        deps.log.error({ err: error, event: event.type, nsp: '/' }, 'could not announce a chat event'),
      );
  };
}

// ------------------------------------------------------------------------------------------------ wire shapes

function userRef(user: User): wire.CanonicalUserRefInput {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName || user.username,
    avatar: user.avatar || null,
  };
}

function roomOut(room: Room): wire.CanonicalRoomInput {
  return {
    id: room.id,
    kind: room.kind,
    name: room.name,
    description: room.description,
    topic: room.topic,
    private: room.private,
    createdBy: room.createdBy,
    createdAt: room.createdAt,
    updatedAt: room.updatedAt,
  };
}

function attachmentOut(attachment: Attachment, messageId: string): wire.CanonicalAttachmentInput {
  const { uploadId, url, type, filename, mimeType, size } = attachment;
  return {
    ...(uploadId !== undefined ? { uploadId } : {}),
    // An upload of this server is fetched through the message (members of its room may).
    ...(url
      ? { url }
      : uploadId !== undefined
        ? { url: `/api/uploads/${uploadId}?messageId=${messageId}` }
        : {}),
    ...(type !== undefined ? { type } : {}),
    ...(filename !== undefined ? { filename } : {}),
    ...(mimeType !== undefined ? { mimeType } : {}),
    ...(Number.isInteger(size) && (size as number) >= 0 ? { size } : {}),
  };
}

function messageOut(message: Message, sender: User, reactions: ReactionCount[]): wire.CanonicalMessageInput {
  return {
    id: message.id,
    roomId: message.roomId,
    sender: userRef(sender),
    type: message.type,
    content: message.content,
    replyToId: message.replyToId,
    forwardedFromId: message.forwardedFromId,
    clientMessageId: message.clientMessageId,
    attachments: (message.metadata?.attachments ?? []).map((a) => attachmentOut(a, message.id)),
    reactions,
    seq: message.seq,
    changeSeq: message.changeSeq,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}

async function reactionsOf(chat: Chat, messageId: string): Promise<ReactionCount[]> {
  return countReactions(await chat.domain.store.listReactions(messageId));
}

async function usersById(chat: Chat, ids: readonly string[]): Promise<Map<string, User>> {
  const users = await chat.domain.users.getMany(ids);
  return new Map(users.map((u) => [u.id, u]));
}

/** Messages with their senders and reactions, looked up once per page. */
async function messagesOut(chat: Chat, messages: readonly Message[]): Promise<wire.CanonicalMessageInput[]> {
  const [senders, reactions] = await Promise.all([
    usersById(
      chat,
      messages.map((m) => m.senderId),
    ),
    Promise.all(messages.map((m) => reactionsOf(chat, m.id))),
  ]);
  return messages.map((message, i) =>
    messageOut(message, senders.get(message.senderId) ?? unknownUser(message.senderId), reactions[i] ?? []),
  );
}

/** A sender the store no longer knows: shown by id. */
function unknownUser(id: string): User {
  return {
    id,
    username: id,
    displayName: id,
    avatar: null,
    role: 'member',
    status: 'offline',
    statusMessage: null,
    customStatus: null,
    lastSeen: null,
    createdAt: new Date(0).toISOString(),
  };
}

function presenceOut(state: PresenceState): wire.CanonicalPresenceInput {
  return {
    userId: state.userId,
    status: state.status,
    statusMessage: state.statusMessage,
    connectionCount: state.connectionCount,
    lastSeen: state.connectionCount > 0 ? null : state.lastSeen,
  };
}

function fileOut(notice: FileNotice, by: User): wire.CanonicalFileNoticeInput {
  return {
    roomId: notice.roomId,
    fileName: notice.fileName,
    fileSize: notice.fileSize,
    fileType: notice.fileType,
    messageId: notice.messageId,
    uploadedBy: userRef(by),
    uploadedAt: notice.uploadedAt,
  };
}

function callOut(call: Call): wire.CanonicalCallInput {
  return {
    id: call.id,
    callerId: call.callerId,
    calleeId: call.calleeId,
    callType: call.callType,
    state: call.state,
    createdAt: call.createdAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    endedBy: call.endedBy,
  };
}

function parties(call: Call): wire.CanonicalCallPartiesInput {
  return { callId: call.id, callerId: call.callerId, calleeId: call.calleeId };
}

function bothParties(call: Call): string[] {
  return [userKey(call.callerId), userKey(call.calleeId)];
}
