/**
 * Table shapes as Kysely sees them (snake_case, as stored). JSON is stored as text and booleans as 0/1 so
 * that both dialects hold the same values; `bigint` columns come back as numbers (see `open.ts`).
 */

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  avatar: string | null;
  role: string;
  status: string;
  status_message: string | null;
  custom_status: string | null;
  last_seen: string | null;
  created_at: string;
}

export interface RoomsTable {
  id: string;
  kind: string;
  name: string | null;
  description: string | null;
  topic: string | null;
  private: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface MembershipsTable {
  room_id: string;
  user_id: string;
  role: string;
  joined_at: string;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  sender_id: string;
  client_message_id: string | null;
  type: string;
  content: string;
  reply_to_id: string | null;
  forwarded_from_id: string | null;
  /** JSON text. */
  metadata: string | null;
  seq: number;
  change_seq: number;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface ReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: string;
}

export interface ReadStatesTable {
  room_id: string;
  user_id: string;
  last_read_seq: number;
  updated_at: string;
}

export interface MessageReadsTable {
  message_id: string;
  user_id: string;
  read_at: string;
}

export interface UploadsTable {
  id: string;
  owner_id: string;
  filename: string;
  mime_type: string;
  size: number;
  path: string;
  created_at: string;
}

/** Named counters; `seq` hands out message sequence numbers (see `KyselyStore.nextSeq`). */
export interface CountersTable {
  name: string;
  value: number;
}

export interface Database {
  users: UsersTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  messages: MessagesTable;
  reactions: ReactionsTable;
  read_states: ReadStatesTable;
  message_reads: MessageReadsTable;
  uploads: UploadsTable;
  counters: CountersTable;
}
