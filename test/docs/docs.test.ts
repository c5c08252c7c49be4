/**
 * The docs stage without a browser: what the pages and the Markdown say for the fixture spec (every Socket.IO
 * idiom, a recursive schema), and that the output is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../codegen/index.js';
import { buildDocs, buildModel } from '../../docs/index.js';
import { payloadRows } from '../../docs/schema.js';

const spec = 'test/fixtures/idioms.yaml';
const text = (files: ReturnType<typeof buildDocs>, path: string): string => {
  const file = files.find((f) => f.path === path);
  if (!file || !('contents' in file)) throw new Error(`no ${path}`);
  return file.contents;
};

describe('parley docs (the docs stage)', async () => {
  const { ir } = await compile(spec);
  const files = buildDocs(ir);

  it('writes an index, a page and a Markdown file per namespace, and its own assets', () => {
    expect(files.map((f) => f.path)).toEqual([
      'assets/search.js',
      'assets/site.css',
      'index.html',
      'markdown/idioms.md',
      'namespaces/idioms.html',
    ]);
  });

  it('is deterministic: the same IR gives the same bytes', async () => {
    const again = buildDocs((await compile(spec)).ir);
    expect(again).toEqual(files);
  });

  it('loads nothing from the network: no http(s) URL in any src or href', () => {
    for (const file of files) {
      if (!('contents' in file) || !file.path.endsWith('.html')) continue;
      expect(file.contents).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it('walks a recursive schema once and points back to it', () => {
    const message = ir.namespaces[0]?.send.find((op) => op.event === 'message:new');
    if (!message) throw new Error('fixture changed');
    const rows = payloadRows(message.message.payload);
    expect(rows.map((r) => [r.path, r.type, r.recursive ?? ''])).toEqual([
      ['', 'object (Message)', ''],
      ['id', 'string', ''],
      ['text', 'string', ''],
      ['replyTo', 'object (Message) | null', 'Message'],
    ]);
  });

  it('describes fields with type, required, constraints and description', () => {
    const post = ir.namespaces[0]?.receive.find((op) => op.event === 'chat:post');
    if (!post) throw new Error('fixture changed');
    const rows = payloadRows(post.message.payload);
    expect(rows).toContainEqual(
      expect.objectContaining({
        path: 'roomId',
        type: 'string',
        required: true,
        description: 'The room to post into.',
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        path: 'kind',
        required: false,
        constraints: ['one of: text, image', 'default "text"'],
      }),
    );
    expect(rows[0]?.constraints).toContain('no other fields');
  });

  it('spreads tuple arguments and says so for an event without payload', () => {
    const ns = ir.namespaces[0];
    const move = ns?.receive.find((op) => op.event === 'move');
    const ping = ns?.receive.find((op) => op.event === 'ping');
    if (!move || !ping) throw new Error('fixture changed');
    expect(payloadRows(move.message.payload).map((r) => [r.path, r.type])).toEqual([
      ['[0]', 'string'],
      ['[1]', 'number'],
    ]);
    expect(payloadRows(ping.message.payload)).toEqual([]);
  });

  it('draws what an operation causes: the room gets the event, the sender the ack', () => {
    const model = buildModel(ir);
    const post = model.namespaces[0]?.operations.find((d) => d.op.event === 'chat:post');
    expect(
      post?.sequence.steps.map((s) => `${s.from}→${s.to} ${s.label}${s.note ? ` [${s.note}]` : ''}`),
    ).toEqual([
      "client→server emit('chat:post')",
      "server→room:roomId emit('message:new')",
      'server→client ack(chat:post ack)',
      'server→client ack(error) [on failure]',
    ]);
    const page = text(files, 'namespaces/idioms.html');
    expect(page).toContain('<svg');
    expect(page).toContain('emit(&#39;message:new&#39;)');
  });

  it('reports failures as the namespace declares: in the ack, or with the error event', () => {
    const md = text(files, 'markdown/idioms.md');
    expect(md).toContain("acknowledged with the namespace's error ack");
    // presence:get_online_users has an ack, but its own error event wins.
    expect(md).toMatch(
      /### presence:get_online_users[\s\S]*?reported with \[`error`\]\(#error-server--client\) \(this operation's error event\)/,
    );
  });

  it('writes Markdown with a table per payload and a Mermaid sequence diagram per operation', () => {
    const md = text(files, 'markdown/idioms.md');
    expect(md).toContain('| `roomId` | string | yes | `minLength 1` | The room to post into. |');
    expect(md.match(/```mermaid/g)).toHaveLength(
      ir.namespaces.reduce((n, ns) => n + ns.receive.length + ns.send.length, 0),
    );
    expect(md).toContain("P1->>P2: emit('message:new')");
  });
});

describe('parley docs for a document without x-parley-*', async () => {
  const { ir } = await compile('test/fixtures/any-spec/zod-sockets.yaml');
  const md = text(buildDocs(ir), 'markdown/root.md');

  it('says where a failure goes when the spec documents no way to the client', () => {
    expect(md).toMatch(
      /### ping[\s\S]*?A failure reaches no client: \/ documents neither an error ack its reply accepts nor an error event \(x-parley-errors\)\. The server logs it and leaves the ack unanswered\./,
    );
  });

  it('lists a rest tuple as its items, then an optional row for each further one', () => {
    const ping = ir.namespaces[0]?.receive.find((op) => op.event === 'ping');
    expect(payloadRows(ping!.reply!.payload).map((r) => `${r.path} ${r.type} ${r.required}`)).toEqual([
      '[0] string true',
      '[1…] any false',
    ]);
  });
});
