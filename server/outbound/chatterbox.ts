/**
 * The `/chatterbox` dialect (seed 002), outbound: what happened anywhere in the chat, in its event names and
 * wire shapes.
 */
import type { ChatterboxContract } from '../../generated/chatterbox/contract.gen.js';
import type * as wire from '../../generated/chatterbox/schemas.gen.js';
import type { Emitter } from '../../runtime/server.js';
import { ignoring, type Translations } from '../session/translate.js';
import type { Message, User } from '../store/types.js';
import { userKey } from '../transport/rooms.js';

/** The Socket.IO room of the sockets that joined a public room. */
export const publicRoomKey = (roomId: string) => `public:${roomId}`;
/** The Socket.IO room of the sockets that joined a conversation. */
export const conversationKey = (conversationId: string) => `conversation:${conversationId}`;

export function chatterboxEvents(emit: Emitter<ChatterboxContract>): Translations {
  return {
    'message.created': ({ message, sender, room }) => {
      // The dialect's content is 1 to 5000 characters: a message of another dialect that is only an
      // attachment has nothing to show here.
      if (message.content === '') return;
      emit.to(conversationKey(message.roomId)).emit('new-message', chatterboxMessage(message, sender));
      if (room.kind === 'public' && room.name) {
        emit.to(publicRoomKey(message.roomId)).emit('room-message', roomMessage(message, sender, room.name));
      }
    },
    'typing.changed': (event) => {
      const target = emit.to(conversationKey(event.roomId)).except(userKey(event.user.id));
      const payload = typist(event.roomId, event.user);
      if (event.isTyping) target.emit('user-typing', payload);
      else target.emit('user-stop-typing', payload);
    },
    'presence.online': ({ user }) =>
      emit.except(userKey(user.id)).emit('presence:online', { userId: user.id, status: 'online' }),
    'presence.offline': ({ user, lastSeen }) =>
      emit
        .except(userKey(user.id))
        .emit('presence:offline', { userId: user.id, status: 'offline', lastSeen }),
    // The seed has no words for these; joins and leaves of public rooms are told by the socket that made them.
    ...ignoring(
      'message.edited',
      'message.deleted',
      'message.forwarded',
      'reaction.added',
      'reaction.removed',
      'messages.read',
      'messages.read-up-to',
      'presence.status',
      'room.joined',
      'room.left',
      'room.updated',
      'broadcast',
      'file.uploaded',
      'call.invited',
      'call.accepted',
      'call.rejected',
      'call.ended',
      'call.ice',
    ),
  };
}

export function wireUser(user: User): wire.ChatterboxUserInput {
  return { _id: user.id, username: user.username };
}

export function typist(conversationId: string, user: User): wire.ChatterboxTypistInput {
  return { conversationId, userId: user.id, username: user.username };
}

export function roomMessage(message: Message, sender: User, roomName: string): wire.RoomMessagePayloadInput {
  return {
    _id: message.id,
    roomName,
    sender: wireUser(sender),
    content: message.content,
    createdAt: message.createdAt,
  };
}

export function chatterboxMessage(message: Message, sender: User): wire.ChatterboxMessageInput {
  const attachments = (message.metadata?.attachments ?? [])
    .map((a) => a.uploadId ?? a.url)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return {
    _id: message.id,
    conversationId: message.roomId,
    sender: wireUser(sender),
    content: message.content,
    ...(attachments.length > 0 ? { attachments } : {}),
    createdAt: message.createdAt,
  };
}
