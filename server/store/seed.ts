/**
 * Data to start with: the demo workspace (`seedDemo`) and YAML seed files (`loadSeedFile`).
 *
 * Both are idempotent: what already exists (a user by id, a room by id or by kind and name, a membership,
 * a message by its seed key) is kept as it is, so running them on every start is safe. They write through
 * the `Store` directly: seeding is an operator's act, not a user's, so the domain's authorization does not
 * apply, but the store's invariants (unique names, foreign keys) still do.
 *
 * A seed file:
 *
 * ```yaml
 * users:
 *   - username: dave            # id defaults to the username
 *     displayName: Dave
 *     role: admin               # member (default) or admin
 * rooms:
 *   - name: support             # id defaults to the name; channel and public rooms need a name
 *     kind: channel             # channel (default), public, direct, group, thread
 *     topic: Tickets
 *     private: true
 *     members: [dave, { user: alice, role: admin }]   # the first member without a role is the owner
 * messages:
 *   - room: support             # a room's id or name
 *     from: dave                # a user's id or username
 *     content: Welcome!
 *     at: 2025-01-15T10:30:00Z  # optional
 *     id: msg_welcome           # optional; default: derived from the message, so a reload stores it once
 * uploads:                      # records of uploaded files (messages attach them by id); no bytes are written
 *   - id: file-1
 *     owner: dave               # a user's id or username
 *     filename: report.pdf      # the name it was uploaded with
 *     path: 1705-report.pdf     # optional: where it is stored, in the upload folder; default the filename
 *     mimeType: application/pdf # optional; default application/octet-stream
 *     size: 482133              # optional; default 0
 * ```
 */
import { createHash } from 'node:crypto';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type Issue, ParleyError } from '../../runtime/errors.js';
import type { Store } from './store.js';
import {
  MESSAGE_TYPES,
  type Membership,
  ROOM_KINDS,
  ROOM_ROLES,
  type Room,
  WORKSPACE_ROLES,
} from './types.js';

export interface SeedOptions {
  /** The creation time to record. Default: now. */
  now?: () => Date;
}

export interface SeedResult {
  /** How many records of each kind this call created (existing ones are not counted). */
  users: number;
  rooms: number;
  memberships: number;
  messages: number;
}

/**
 * The demo workspace: members `alice` and `bob`, admin `carol`, the channel `general` with all three, and
 * the direct conversation `alice-bob`. User ids are the usernames, so `issueToken('alice')` signs in.
 */
export async function seedDemo(store: Store, options: SeedOptions = {}): Promise<SeedResult> {
  return load(
    store,
    SeedFileSchema.parse({
      users: [
        { username: 'alice', displayName: 'Alice' },
        { username: 'bob', displayName: 'Bob' },
        { username: 'carol', displayName: 'Carol', role: 'admin' },
      ],
      rooms: [
        {
          id: 'general',
          kind: 'channel',
          name: 'general',
          description: 'Everyone in the workspace',
          members: ['carol', 'alice', 'bob'],
        },
        { id: 'alice-bob', kind: 'direct', members: ['alice', 'bob'] },
      ],
      messages: [
        { room: 'general', from: 'carol', content: 'Welcome to Parley! This is #general.' },
        { room: 'alice-bob', from: 'alice', content: 'Hi Bob!' },
      ],
    }),
    options,
  );
}

/**
 * Loads users, rooms (with their members) and messages from YAML. A file that is not valid YAML, does not
 * have the shape above, or refers to users or rooms that exist neither in it nor in the store is refused
 * whole with `VALIDATION_FAILED`, naming each bad entry by path and line, before anything is written.
 */
export async function loadSeedFile(
  store: Store,
  yamlText: string,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => ({
      path: [],
      message: `line ${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0]}`,
      code: 'yaml_syntax',
    }));
    throw refusal('is not valid YAML', issues);
  }
  const parsed = SeedFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw refusal(
      'does not have the expected shape',
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
        message: `${issue.message}${lineOf(doc, lines, issue.path)}`,
        code: issue.code,
      })),
    );
  }
  return load(store, parsed.data, options, (path) => lineOf(doc, lines, path));
}

/**
 * `loadSeedFile` for a value already parsed (a JSON body, say): the same shape and the same refusals, naming
 * bad entries by path only.
 */
export async function loadSeedData(
  store: Store,
  data: unknown,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const parsed = SeedFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw refusal(
      'does not have the expected shape',
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
        message: issue.message,
        code: issue.code,
      })),
    );
  }
  return load(store, parsed.data, options);
}

const MemberSchema = z.union([
  z.string().min(1),
  z.strictObject({ user: z.string().min(1), role: z.enum(ROOM_ROLES).optional() }),
]);

const SeedFileSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        id: z.string().min(1).optional(),
        username: z.string().min(1).max(64),
        displayName: z.string().min(1).optional(),
        avatar: z.string().nullable().optional(),
        role: z.enum(WORKSPACE_ROLES).optional(),
      }),
    )
    .optional(),
  rooms: z
    .array(
      z
        .strictObject({
          id: z.string().min(1).optional(),
          kind: z.enum(ROOM_KINDS).default('channel'),
          name: z.string().min(1).max(80).optional(),
          description: z.string().optional(),
          topic: z.string().optional(),
          private: z.boolean().optional(),
          members: z.array(MemberSchema).default([]),
        })
        .refine((room) => room.name !== undefined || !['channel', 'public'].includes(room.kind), {
          message: 'a channel or public room needs a name',
          path: ['name'],
        })
        .refine((room) => room.id !== undefined || room.name !== undefined, {
          message: 'give the room an id or a name',
          path: ['id'],
        })
        .refine((room) => room.kind !== 'direct' || room.members.length === 2, {
          message: 'a direct conversation has exactly two members',
          path: ['members'],
        }),
    )
    .optional(),
  messages: z
    .array(
      z.strictObject({
        id: z.string().min(1).optional(),
        room: z.string().min(1),
        from: z.string().min(1),
        content: z.string(),
        type: z.enum(MESSAGE_TYPES).optional(),
        at: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .optional(),
  uploads: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        owner: z.string().min(1),
        filename: z.string().min(1).max(255),
        path: z.string().min(1).max(1024).optional(),
        mimeType: z.string().min(1).default('application/octet-stream'),
        size: z.number().int().min(0).default(0),
      }),
    )
    .optional(),
});

type SeedFile = z.output<typeof SeedFileSchema>;
type SeedRoom = NonNullable<SeedFile['rooms']>[number];
type SeedMessage = NonNullable<SeedFile['messages']>[number];
type Path = readonly PropertyKey[];

async function load(
  store: Store,
  file: SeedFile,
  options: SeedOptions,
  where: (path: Path) => string = () => '',
): Promise<SeedResult> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const result: SeedResult = { users: 0, rooms: 0, memberships: 0, messages: 0 };
  const issues: Issue[] = [];
  const problem = (path: (string | number)[], message: string) =>
    issues.push({ path, message: `${message}${where(path)}`, code: 'unknown_reference' });

  // Resolve every reference before writing anything, so a bad file changes nothing.
  const fileUsers = (file.users ?? []).map((user) => ({ ...user, id: user.id ?? user.username }));
  const userIds = new Map<string, string>();
  const newUsers: typeof fileUsers = [];
  for (const [index, user] of fileUsers.entries()) {
    if (userIds.has(user.username) || userIds.has(user.id)) {
      problem(['users', index], `user "${user.username}" (${user.id}) appears twice in this file`);
    }
    userIds.set(user.username, user.id);
    userIds.set(user.id, user.id);
    if (await store.getUser(user.id)) continue;
    const holder = await store.getUserByUsername(user.username);
    if (holder)
      problem(['users', index, 'username'], `username "${user.username}" is taken by user ${holder.id}`);
    newUsers.push(user);
  }
  const resolveUser = async (ref: string, path: (string | number)[]) => {
    const known =
      userIds.get(ref) ?? (await store.getUser(ref))?.id ?? (await store.getUserByUsername(ref))?.id;
    if (known === undefined) problem(path, `no user "${ref}" in this file or the store`);
    else userIds.set(ref, known);
    return known;
  };

  const rooms: { room: SeedRoom; id: string; existing: Room | undefined; members: Membership[] }[] = [];
  for (const [index, room] of (file.rooms ?? []).entries()) {
    const existing =
      (room.id !== undefined ? await store.getRoom(room.id) : undefined) ??
      (room.name !== undefined ? await store.getRoomByName(room.kind, room.name) : undefined);
    const id = existing?.id ?? room.id ?? (room.name as string);
    const members: Membership[] = [];
    for (const [m, member] of room.members.entries()) {
      const ref = typeof member === 'string' ? member : member.user;
      const userId = await resolveUser(ref, ['rooms', index, 'members', m]);
      const role = typeof member === 'string' ? undefined : member.role;
      if (userId)
        members.push({ roomId: id, userId, role: role ?? (m === 0 ? 'owner' : 'member'), joinedAt: now });
    }
    if (!existing && room.members.length === 0) {
      problem(['rooms', index, 'members'], 'a new room needs at least one member (the first one owns it)');
    }
    rooms.push({ room, id, existing, members });
  }

  const roomIds = new Map<string, string>();
  for (const { room, id } of rooms) {
    roomIds.set(id, id);
    if (room.name !== undefined && !roomIds.has(room.name)) roomIds.set(room.name, id);
  }
  const messages: { roomId: string; senderId: string; message: SeedMessage }[] = [];
  const messageIds = new Set<string>();
  for (const [index, message] of (file.messages ?? []).entries()) {
    if (message.id !== undefined) {
      if (messageIds.has(message.id))
        problem(['messages', index, 'id'], `message id "${message.id}" appears twice in this file`);
      messageIds.add(message.id);
    }
    const roomId = roomIds.get(message.room) ?? (await store.getRoom(message.room))?.id;
    if (roomId === undefined)
      problem(['messages', index, 'room'], `no room "${message.room}" in this file or the store`);
    const senderId = await resolveUser(message.from, ['messages', index, 'from']);
    if (roomId !== undefined && senderId !== undefined) messages.push({ roomId, senderId, message });
  }
  const uploads: { ownerId: string; upload: NonNullable<SeedFile['uploads']>[number] }[] = [];
  const uploadIds = new Set<string>();
  for (const [index, upload] of (file.uploads ?? []).entries()) {
    if (uploadIds.has(upload.id))
      problem(['uploads', index, 'id'], `upload id "${upload.id}" appears twice in this file`);
    uploadIds.add(upload.id);
    const ownerId = await resolveUser(upload.owner, ['uploads', index, 'owner']);
    if (ownerId !== undefined) uploads.push({ ownerId, upload });
  }
  if (issues.length > 0) throw refusal('refers to things that do not exist', issues);

  for (const user of newUsers) {
    await store.createUser(
      {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        avatar: user.avatar,
        role: user.role,
      },
      now,
    );
    result.users++;
  }
  for (const { room, id, existing, members } of rooms) {
    if (!existing) {
      const conversation = room.kind === 'direct' || room.kind === 'group';
      await store.createRoom(
        {
          id,
          kind: room.kind,
          name: room.name,
          description: room.description,
          topic: room.topic,
          private: conversation || (room.kind !== 'public' && Boolean(room.private)),
          createdBy: (members[0] as Membership).userId,
          createdAt: now,
        },
        [],
      );
      result.rooms++;
    }
    result.memberships += (await store.addMemberships(members)).length;
  }
  for (const { ownerId, upload } of uploads) {
    if (await store.getUpload(upload.id)) continue;
    await store.createUpload({
      id: upload.id,
      ownerId,
      filename: upload.filename,
      mimeType: upload.mimeType,
      size: upload.size,
      path: upload.path ?? upload.filename,
      createdAt: now,
    });
  }
  // One key per message: the same file loaded twice stores each message once.
  const seen = new Map<string, number>();
  for (const { roomId, senderId, message } of messages) {
    const digest = createHash('sha256')
      .update(JSON.stringify([roomId, senderId, message.type ?? 'text', message.content, message.at ?? null]))
      .digest('hex')
      .slice(0, 24);
    const occurrence = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, occurrence);
    const { created } = await store.insertMessage({
      id: message.id ?? `msg_seed_${digest}_${occurrence}`,
      roomId,
      senderId,
      clientMessageId: message.id === undefined ? `seed:${digest}:${occurrence}` : `seed:id:${message.id}`,
      type: message.type ?? 'text',
      content: message.content,
      createdAt: message.at === undefined ? now : new Date(message.at).toISOString(),
    });
    if (created) result.messages++;
  }
  return result;
}

function refusal(what: string, issues: Issue[]): ParleyError {
  const list = issues
    .slice(0, 10)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
  return new ParleyError('VALIDATION_FAILED', `seed file ${what}: ${list}${more}`, { issues });
}

/** `rooms[1].members[0]`, as a reader finds it in the file. */
function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(file)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** ` (line N)` for the deepest node of `path` that exists in the document. */
function lineOf(doc: Document, lines: LineCounter, path: Path): string {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return ` (line ${lines.linePos(node.range[0]).line})`;
  }
  return '';
}
