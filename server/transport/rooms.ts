/**
 * Socket.IO room names. Rooms are per namespace, so every namespace's sockets join the same names: a chat room
 * by its id, and one room per user holding all of that user's sockets (every tab).
 */
export const roomKey = (roomId: string) => `room:${roomId}`;
export const userKey = (userId: string) => `user:${userId}`;
