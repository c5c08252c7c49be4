import { forbidden } from '{{runtime}}';
import type { ChatHandlers } from '../../generated/chat/server.gen.js';
import { addMessage, latestMessages } from '../store.js';

/** Handlers for the `/chat` namespace. `parley generate` adds a stub here for each new client event. */
export const chatHandlers = {
  'room:join'({ room }, ctx) {
    ctx.socket.join(room);
    return { ok: true, data: { room, messages: latestMessages(room) } };
  },
  'message:send'({ room, text }, ctx) {
    if (!ctx.socket.rooms.has(room)) throw forbidden(`join ${room} before sending to it`);
    const message = addMessage(room, text);
    ctx.emit.to(room).emit('message:new', { message });
    return { ok: true, data: { message } };
  },
} satisfies ChatHandlers;
