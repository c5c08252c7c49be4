/**
 * Tab subscriptions: a user may have several sockets (tabs) in a namespace. Dialects that announce joins and
 * leaves per user ask these before telling anyone: the first tab to subscribe is a join, the last one to
 * leave is a leave. They look at every server process (`fetchSockets` goes through the adapter).
 */
import type { Namespace, Socket } from 'socket.io';
import { userKey } from '../transport/rooms.js';

/** Whether another socket of the user (in this namespace, on any server process) is in the Socket.IO room. */
export async function otherTabIn(socket: Socket, userId: string, room: string): Promise<boolean> {
  const tabs = await socket.nsp.in(userKey(userId)).fetchSockets();
  return tabs.some((tab) => tab.id !== socket.id && tab.rooms.has(room));
}

/** The Socket.IO rooms (of those `matches` accepts) any socket of the user but `except` is in. */
export async function roomsOfTabs(
  nsp: Namespace,
  userId: string,
  matches: (room: string) => boolean,
  except?: string,
): Promise<Set<string>> {
  const rooms = new Set<string>();
  for (const tab of await nsp.in(userKey(userId)).fetchSockets()) {
    if (tab.id === except) continue;
    for (const room of tab.rooms) if (matches(room)) rooms.add(room);
  }
  return rooms;
}
