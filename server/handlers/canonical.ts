/**
 * The canonical namespace `/`, inbound: Parley's own protocol over the shared chat core. Every command answers
 * its ack `{ ok: true, data }` (the runtime renders failures as `{ ok: false, error }`); what happened is
 * announced from the chat event bus (`outbound/canonical.ts`), so changes made through any dialect reach
 * canonical clients too.
 *
 * Socket.IO rooms: a socket is in `room:<id>` for each room its user is a member of (the dialect hears
 * `member-rooms`) and in `user:<id>` (every tab of its user). Joining and leaving here subscribes and
 * unsubscribes every socket of the user in this namespace.
 */
import { randomBytes } from 'node:crypto';
import type * as wire from '../../generated/canonical/schemas.gen.js';
import type { CanonicalContext, CanonicalHandlers } from '../../generated/canonical/server.gen.js';
import { ParleyError } from '../../runtime/errors.js';
import { AssistantError, createAssistant, NOT_CONFIGURED_MESSAGE } from '../ai/index.js';
import type { Chat } from '../core/chat.js';
import type { ReactionResult } from '../domain/reactions.js';
import type { MountDeps } from '../namespaces.js';
import {
  callOut,
  fileOut,
  messageOut,
  messagesOut,
  presenceOut,
  roomOut,
  userRef,
} from '../outbound/canonical.js';
import {
  AI_CONTEXT_MESSAGES,
  AnswerStreams,
  assistantTurns,
  authorName,
  describeFailure,
} from '../session/ai.js';
import type { RoomOfUser } from '../store/store.js';
import type { User } from '../store/types.js';
import { roomKey, userKey } from '../transport/rooms.js';

type Ctx = CanonicalContext<User>;

const ok = <T>(data: T) => ({ ok: true as const, data });

// ------------------------------------------------------------------------------------------------ session

/** The `session:ready` welcome: who the user is and their rooms with unread counts. */
export async function canonicalWelcome(
  user: User,
  { chat }: MountDeps,
): Promise<wire.SessionReadyPayloadInput> {
  const [me, rooms] = await Promise.all([profile(chat, user), roomEntries(chat, user.id)]);
  return { user: me, rooms, serverTime: chat.now() };
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
    status: await chat.statusOf(user.id),
    statusMessage: user.statusMessage,
    lastSeen: user.lastSeen,
  };
}

async function roomEntries(chat: Chat, userId: string): Promise<wire.CanonicalRoomEntryInput[]> {
  const [rooms, unread] = await Promise.all([chat.roomsOf(userId), chat.unreadCounts(userId)]);
  return rooms.map(({ room, membership }: RoomOfUser) => ({
    room: roomOut(room),
    role: membership.role,
    joinedAt: membership.joinedAt,
    unreadCount: unread[room.id] ?? 0,
  }));
}

// ------------------------------------------------------------------------------------------------ handlers

export function canonicalHandlers(deps: MountDeps) {
  const { chat } = deps;
  /** Answers streaming now, by stream id. */
  const answers = new AnswerStreams(deps.ai ?? createAssistant());

  /** Every socket of these users in this namespace enters the room. */
  const subscribe = ({ socket }: Ctx, userIds: readonly string[], roomId: string) => {
    if (userIds.length > 0) socket.nsp.in(userIds.map(userKey)).socketsJoin(roomKey(roomId));
  };
  const unsubscribe = ({ socket }: Ctx, userId: string, roomIds: readonly string[]) => {
    if (roomIds.length > 0) socket.nsp.in(userKey(userId)).socketsLeave(roomIds.map(roomKey));
  };

  return {
    'system:ping'() {
      return ok({ serverTime: chat.now() });
    },

    // -------------------------------------------------------------------------------------------- rooms

    async 'room:create'(payload, ctx) {
      const { room, created, members } = await chat.createRoom(
        ctx.user.id,
        {
          kind: payload.kind,
          name: payload.name,
          description: payload.description,
          topic: payload.topic,
          private: payload.private,
          members: payload.members,
        },
        'none',
      );
      if (created) {
        // Subscribed first, so that every member's sockets hear the joins.
        subscribe(
          ctx,
          members.map((m) => m.userId),
          room.id,
        );
        for (const member of members) await chat.announceJoined(member.userId, room, true, member.joinedAt);
      }
      return ok({ room: roomOut(room), created });
    },

    async 'room:update'({ roomId, name, description, topic }, { user }) {
      const { room, changes } = await chat.updateRoom(
        user.id,
        roomId,
        { name, description, topic },
        { announce: 'if-changed' },
      );
      return ok({ room: roomOut(room), changes });
    },

    async 'room:join'({ roomId }, ctx) {
      const { room, membership, joined } = await chat.joinRoom(ctx.user.id, roomId, 'none');
      subscribe(ctx, [ctx.user.id], room.id);
      if (joined) await chat.announceJoined(ctx.user.id, room, true, membership.joinedAt);
      return ok({ room: roomOut(room), role: membership.role, joined });
    },

    async 'room:join_many'({ roomIds }, ctx) {
      const results = await chat.joinRooms(ctx.user.id, roomIds, 'none');
      for (const { room, membership, joined } of results) {
        subscribe(ctx, [ctx.user.id], room.id);
        if (joined) await chat.announceJoined(ctx.user.id, room, true, membership.joinedAt);
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
      const { room, left } = await chat.leaveRoom(ctx.user.id, roomId, { membership: true });
      unsubscribe(ctx, ctx.user.id, [room.id]);
      return ok({ roomId: room.id, left });
    },

    async 'room:leave_all'(_payload, ctx) {
      const rooms = await chat.leaveAllRooms(ctx.user.id);
      unsubscribe(
        ctx,
        ctx.user.id,
        rooms.map((room) => room.id),
      );
      return ok({ roomIds: rooms.map((room) => room.id) });
    },

    async 'room:members'({ roomId }, { user }) {
      const members = await chat.members(user.id, roomId);
      return ok({
        roomId,
        members: await Promise.all(
          members.map(async ({ membership, user: member }) => ({
            user: userRef(member),
            role: membership.role,
            joinedAt: membership.joinedAt,
            status: await chat.statusOf(member.id),
          })),
        ),
      });
    },

    async 'room:list'(_payload, { user }) {
      return ok({ rooms: await roomEntries(chat, user.id) });
    },

    // -------------------------------------------------------------------------------------------- messages

    async 'message:send'(payload, ctx) {
      const { message, sender, duplicate } = await chat.sendMessage(ctx.user.id, {
        roomId: payload.roomId,
        content: payload.content,
        type: payload.type,
        replyToId: payload.replyToId,
        attachments: payload.attachments?.map(({ uploadId }) => ({ uploadId })),
        clientMessageId: payload.clientMessageId,
      });
      const reactions = duplicate ? await chat.reactionCounts(message.id) : [];
      return ok({ message: messageOut(message, sender, reactions), duplicate });
    },

    async 'message:edit'({ messageId, content }, ctx) {
      const message = await chat.editMessage(ctx.user.id, messageId, content);
      return ok({ message: (await messagesOut(chat, [message]))[0]! });
    },

    async 'message:delete'({ messageId }, { user }) {
      const message = await chat.deleteMessage(user.id, messageId);
      return ok({ message: (await messagesOut(chat, [message]))[0]! });
    },

    async 'message:forward'({ messageId, targetRoomId, clientMessageId }, ctx) {
      const { message, sender, duplicate } = await chat.forwardMessage(ctx.user.id, messageId, targetRoomId, {
        clientMessageId,
      });
      const reactions = duplicate ? await chat.reactionCounts(message.id) : [];
      return ok({ message: messageOut(message, sender, reactions), duplicate });
    },

    async 'message:history'({ roomId, before, after, limit: size }, { user }) {
      const page = await chat.history(user.id, roomId, { before, after, limit: size });
      const edge = after === undefined ? page.messages[0] : page.messages.at(-1);
      return ok({
        roomId,
        messages: await messagesOut(chat, page.messages),
        hasMore: page.hasMore,
        cursor: edge?.seq ?? after ?? null,
      });
    },

    async 'message:catch_up'({ cursor, limit: size }, { user }) {
      const page = await chat.catchUp(user.id, { cursor, limit: size });
      return ok({
        messages: await messagesOut(chat, page.messages),
        cursor: page.cursor,
        hasMore: page.hasMore,
      });
    },

    // -------------------------------------------------------------------------------------------- reactions

    async 'reaction:add'({ messageId, emoji }, ctx) {
      return ok(reactionAck(await chat.addReaction(ctx.user.id, messageId, emoji)));
    },

    async 'reaction:remove'({ messageId, emoji }, ctx) {
      return ok(reactionAck(await chat.removeReaction(ctx.user.id, messageId, emoji)));
    },

    // -------------------------------------------------------------------------------------------- receipts

    async 'receipt:mark_read'(payload, { user }) {
      if ('messageIds' in payload) await chat.markMessagesRead(user.id, payload.roomId, payload.messageIds);
      else await chat.markReadUpTo(user.id, payload.roomId, payload.upToMessageId ?? null);
      const unread = await chat.unreadCounts(user.id);
      return ok({ roomId: payload.roomId, unreadCount: unread[payload.roomId] ?? 0 });
    },

    // -------------------------------------------------------------------------------------------- typing

    async 'typing:start'({ roomId }, ctx) {
      await chat.startTyping(ctx.user.id, roomId, ctx.socket.id);
      return ok({ roomId, userIds: chat.typingIn(roomId) });
    },

    async 'typing:stop'({ roomId }, { user }) {
      await chat.stopTyping(user.id, roomId);
      return ok({ roomId, userIds: chat.typingIn(roomId) });
    },

    // -------------------------------------------------------------------------------------------- presence

    async 'presence:set'({ status, statusMessage }, { user }) {
      const state = await chat.setStatus(user.id, { status, statusMessage });
      return ok({ presence: presenceOut(state) });
    },

    async 'presence:query'() {
      return ok({ users: (await chat.onlineUsers()).map(presenceOut) });
    },

    // -------------------------------------------------------------------------------------------- files

    async 'file:announce'({ roomId, uploadId, messageId }, { user }) {
      const upload = await chat.ownUpload(user.id, uploadId);
      if (messageId !== undefined) {
        // Visible to the user (NOT_FOUND, FORBIDDEN otherwise), then in the room.
        await chat.message(user.id, messageId);
        if (!(await chat.messageIn(messageId, roomId))) {
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

    async 'broadcast:send'({ message, priority }, { user }) {
      return ok({ broadcast: await chat.broadcast(user.id, { message, priority }) });
    },

    // -------------------------------------------------------------------------------------------- calls

    async 'call:invite'({ targetUserId, callType, offer }, ctx) {
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
      if (!answers.configured) throw new AssistantError('not-configured', NOT_CONFIGURED_MESSAGE);
      const { messages, authors } = await chat.askAssistant(
        ctx.user.id,
        roomId === undefined
          ? undefined
          : { roomId, access: 'read', action: 'ask about', recent: AI_CONTEXT_MESSAGES },
      );
      const nameOf = authorName(authors, (u) => u.displayName);
      const turns = assistantTurns(prompt, { place: 'room they ask about', messages, nameOf });
      const streamId = `ai_${randomBytes(8).toString('hex')}`;
      const to = ctx.emit.toSocket(ctx.socket);
      // The first part goes out after the ack, so the client knows the stream id before it.
      const afterAck = () => new Promise<typeof turns>((resolve) => setImmediate(() => resolve(turns)));
      const streaming = answers.run(streamId, ctx.socket, afterAck, {
        part: (delta, index) => to.emit('ai:chunk', { streamId, index, delta }),
        done: (content) => to.emit('ai:done', { streamId, content, stopped: false }),
        failed(error) {
          const { known, code, message, failure } = describeFailure(error);
          deps.log.warn(
            {
              event: 'ai:ask',
              nsp: ctx.socket.nsp.name,
              user: ctx.user.id,
              failure,
              err: known ? undefined : error,
            },
            message,
          );
          to.emit('ai:error', { streamId, code, message });
        },
      });
      // Only a failure to tell the failure itself gets here (the ack has gone): it is the server's to log.
      streaming.catch((error: unknown) =>
        deps.log.error(
          { err: error, event: 'ai:ask', nsp: ctx.socket.nsp.name },
          'could not tell an AI answer',
        ),
      );
      return ok({ streamId });
    },

    'ai:stop'({ streamId }, { socket, emit }) {
      const content = answers.stop(streamId, socket);
      if (content === undefined) return ok({ streamId, stopped: false });
      emit.toSocket(socket).emit('ai:done', { streamId, content, stopped: true });
      return ok({ streamId, stopped: true });
    },
  } satisfies CanonicalHandlers<User>;
}
