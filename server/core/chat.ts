/**
 * The chat service every namespace adapter calls: the domain operation, then the event that tells every
 * namespace about it. Adapters translate payloads and formats; what happened and who may do it lives here and
 * in the domain, once.
 */
import type { Domain } from '../domain/index.js';
import { Listeners } from '../domain/listeners.js';
import type { Logger } from '../domain/logger.js';
import type { SendInput } from '../domain/messages.js';
import type { Message, User } from '../store/types.js';
import type { ChatBus, ChatEvent } from './events.js';

export class Chat {
  readonly bus: ChatBus;
  readonly domain: Domain;
  private readonly stopTypingListener: () => void;

  constructor(domain: Domain, logger: Logger) {
    this.domain = domain;
    this.bus = new Listeners<ChatEvent>('chat event', logger);
    // Typing changes come from requests and from timers (expiry, disconnects): one place turns them into events.
    this.stopTypingListener = domain.typing.onChange((change) => {
      void this.users([change.userId, ...change.typingUserIds])
        .then((users) => {
          const user = users.get(change.userId);
          if (!user) return;
          const typing = change.typingUserIds
            .map((id) => users.get(id))
            .filter((u): u is User => u !== undefined);
          this.bus.emit({
            type: 'typing.changed',
            roomId: change.roomId,
            user,
            isTyping: change.isTyping,
            typing,
          });
        })
        .catch((error: unknown) => logger.error('could not announce a typing change', { error }));
    });
  }

  /** A connection opened: presence, and the rooms its socket joins. */
  async connect(userId: string, connectionId: string): Promise<{ user: User; roomIds: string[] }> {
    const { state, cameOnline } = await this.domain.presence.connect(userId, connectionId);
    const user = await this.domain.users.get(userId);
    if (cameOnline) this.bus.emit({ type: 'presence.online', user, connectionCount: state.connectionCount });
    const rooms = await this.domain.rooms.roomsOf(userId);
    return { user, roomIds: rooms.map((r) => r.room.id) };
  }

  /** A connection closed: its typing indicators stop; the user goes offline with their last connection. */
  async disconnect(userId: string, connectionId: string): Promise<void> {
    this.domain.typing.disconnect(connectionId);
    const { state, wentOffline } = await this.domain.presence.disconnect(userId, connectionId);
    if (!wentOffline) return;
    const user = await this.domain.users.get(userId);
    this.bus.emit({ type: 'presence.offline', user, lastSeen: state.lastSeen ?? new Date().toISOString() });
  }

  /** Stored before it resolves; a retried send (same client message id) is not announced again. */
  async sendMessage(
    userId: string,
    input: SendInput,
  ): Promise<{ message: Message; sender: User; duplicate: boolean }> {
    const { message, duplicate } = await this.domain.messages.send(userId, input);
    const sender = await this.domain.users.get(userId);
    if (!duplicate) this.bus.emit({ type: 'message.created', message, sender });
    return { message, sender, duplicate };
  }

  async editMessage(userId: string, messageId: string, content: string): Promise<Message> {
    const message = await this.domain.messages.edit(userId, messageId, content);
    this.bus.emit({ type: 'message.edited', message, editor: await this.domain.users.get(userId) });
    return message;
  }

  async deleteMessage(userId: string, messageId: string, placeholder: string): Promise<Message> {
    const { message, deleted } = await this.domain.messages.delete(userId, messageId, { placeholder });
    if (deleted)
      this.bus.emit({ type: 'message.deleted', message, deleter: await this.domain.users.get(userId) });
    return message;
  }

  async markMessagesRead(userId: string, roomId: string, messageIds: readonly string[]): Promise<string[]> {
    const result = await this.domain.receipts.markMessagesRead(userId, roomId, messageIds);
    const reader = await this.domain.users.get(userId);
    this.bus.emit({
      type: 'messages.read',
      roomId,
      reader,
      messageIds: [...messageIds],
      readAt: result.readAt,
    });
    return result.messageIds;
  }

  close(): void {
    this.stopTypingListener();
  }

  private async users(ids: string[]): Promise<Map<string, User>> {
    const users = await this.domain.users.getMany(ids);
    return new Map(users.map((u) => [u.id, u]));
  }
}
