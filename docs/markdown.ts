/**
 * The same content as the site, as Markdown: one file per namespace (`markdown/<ns>.md`), for wikis and
 * pull requests. Sequence diagrams are Mermaid blocks, which GitHub and GitLab render.
 */
import type { IRExample } from '../codegen/ir/types.js';
import {
  audienceText,
  carriesText,
  clientUsage,
  type DocsModel,
  type NamespaceDoc,
  type OperationDoc,
  WHEN_TEXT,
} from './model.js';
import type { FieldRow } from './schema.js';
import { mermaid } from './sequence.js';

/** `markdown/<ns>.md` for every namespace. */
export function buildMarkdown(model: DocsModel): { path: string; contents: string }[] {
  return model.namespaces.map((nsDoc) => ({
    path: `markdown/${nsDoc.slug}.md`,
    contents: namespaceMarkdown(model, nsDoc),
  }));
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\r?\n+/g, ' ')
    .trim();

const fence = (value: unknown, lang = 'json'): string => {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  return `\`\`\`${lang}\n${text}\n\`\`\``;
};

/** GitHub's heading anchors: lower case, spaces to `-`, punctuation but `-` and `_` dropped. */
export function githubAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function heading(doc: OperationDoc): string {
  return `${doc.op.event} (${doc.direction})`;
}

function link(nsDoc: NamespaceDoc, event: string, action: 'send' | 'receive' = 'send'): string {
  const target = nsDoc.operations.find((d) => d.op.action === action && d.op.event === event);
  return target ? `[\`${event}\`](#${githubAnchor(heading(target))})` : `\`${event}\``;
}

function table(rows: FieldRow[]): string {
  if (!rows.length) return 'No payload.';
  const lines = [
    '| Field | Type | Required | Constraints | Description |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const name = `\`${row.path === '' ? '(payload)' : row.path}\`${row.label ? ` *${row.label}*` : ''}`;
    const required = row.label || row.path === '' ? '' : row.required ? 'yes' : 'no';
    const type = row.recursive ? `${row.type} (recursive, see above)` : row.type;
    const constraints = row.constraints.map((c) => `\`${c.replaceAll('`', "'")}\``).join(', ');
    lines.push(
      `| ${cell(name)} | ${cell(type)} | ${required} | ${cell(constraints)} | ${cell(row.description ?? '')} |`,
    );
  }
  return lines.join('\n');
}

function example(e: IRExample, i: number, label: string): string {
  const title = e.name ?? `${label} ${i + 1}`;
  return `**${title}**${e.summary ? ` — ${e.summary}` : ''}\n\n${fence(e.payload)}`;
}

function operation(doc: OperationDoc, nsDoc: NamespaceDoc): string {
  const { op } = doc;
  const out: string[] = [`### ${heading(doc)}`, ''];
  out.push(`Operation \`${op.id}\` · message \`${op.message.key}\``, '');
  if (op.summary) out.push(`**${op.summary}**`, '');
  if (op.description) out.push(op.description.trim(), '');
  if (op.reserved)
    out.push(
      '> A Socket.IO reserved event: the client sees it as `connect_error`; it is in no event map.',
      '',
    );
  if (op.untestable) out.push(`> Not observable by the conformance harness: ${op.untestable}`, '');
  out.push(`\`${clientUsage(op)}\``, '');
  out.push('#### Payload', '');
  if (op.message.summary) out.push(op.message.summary, '');
  out.push(table(doc.payload), '');

  const replies = doc.ack?.message.examples ?? [];
  const used = new Set<IRExample>();
  if (op.message.examples.length) {
    out.push('#### Examples', '');
    op.message.examples.forEach((e, i) => {
      out.push(example(e, i, 'Example'), '');
      const reply =
        replies.length === 1 ? replies[0] : replies.find((r) => e.name !== undefined && r.name === e.name);
      if (reply) {
        used.add(reply);
        out.push('The ack:', '', fence(reply.payload), '');
      }
    });
  }
  if (doc.ack) {
    out.push(`#### Acknowledgement \`${doc.ack.message.name}\``, '');
    if (doc.ack.message.summary) out.push(doc.ack.message.summary, '');
    out.push(table(doc.ack.rows), '');
    replies.forEach((r, i) => {
      if (!used.has(r)) out.push(example(r, i, 'Ack'), '');
    });
  }
  const f = doc.failure;
  if (f) {
    out.push('#### Errors', '');
    if (f.via === 'ack') {
      out.push(
        "A failed call changes nothing and is acknowledged with the namespace's error ack:",
        '',
        fence(f.template),
        '',
      );
    } else if (f.via === 'log') {
      const ack = doc.op.reply ? ' and leaves the ack unanswered' : '';
      out.push(`A failure reaches no client: ${f.reason}. The server logs it${ack}.`, '');
    } else {
      const whose =
        f.declaredBy === 'operation' ? "this operation's error event" : "the namespace's error event";
      const ack = doc.op.reply ? ' (the ack is left unanswered)' : '';
      out.push(
        `A failure is reported with ${link(nsDoc, f.event)} (${whose}), sent to the emitting socket${ack}.`,
        '',
      );
      if (f.template !== undefined) out.push(fence(f.template), '');
    }
  }
  if (op.effects.length) {
    out.push('#### Causes', '');
    for (const e of op.effects) {
      out.push(
        `- ${link(nsDoc, e.event)} to ${audienceText(e)}, ${WHEN_TEXT[e.when]}${carriesText(e)}${e.description ? ` — ${e.description}` : ''}`,
      );
    }
    out.push('');
  }
  if (doc.causedBy.length) {
    out.push('#### Caused by', '');
    for (const { op: trigger, effect } of doc.causedBy) {
      out.push(
        `- ${link(nsDoc, trigger.event, 'receive')} (client → server), to ${audienceText(effect)}, ${WHEN_TEXT[effect.when]}`,
      );
    }
    out.push('');
  }
  out.push('#### Sequence', '', '```mermaid', mermaid(doc.sequence), '```', '');
  return out.join('\n');
}

/** What every client needs to know about the wire whatever the namespace: arguments, recovery, origins. */
const CONNECTING_NOTE = [
  'Each server event arrives with exactly the arguments its message declares, so a handler takes one parameter',
  'per documented argument (`def on_receive_message(data)` in python-socketio). A server may turn on',
  "Socket.IO's connection state recovery (the reference server: `parley serve --recovery`, off by default): it",
  "then announces a session in the handshake (the CONNECT packet's `pid`) and appends one more argument, a",
  'string offset, to every event it sends except volatile ones, for every client. socket.io-client takes the',
  'offset off and resumes the session after a short disconnect; other clients receive it as an extra argument.',
  'A browser page served from another origin can connect only when the server allows that origin (the',
  'reference server: `parley serve --cors <origins>`).',
].join(' ');

function namespaceMarkdown(model: DocsModel, nsDoc: NamespaceDoc): string {
  const { ns } = nsDoc;
  const out: string[] = [
    `<!-- Generated by \`parley docs\` from the AsyncAPI document (${model.title} ${model.version}). Do not edit. -->`,
    '',
    `# \`${ns.address}\`${ns.title ? ` ${ns.title}` : ''}`,
    '',
  ];
  if (ns.description) out.push(ns.description.trim(), '');
  out.push('## Connecting', '');
  const ways = ns.auth.handshake.map((w) =>
    w === 'auth.token'
      ? `- \`auth.token\` in the handshake: \`io('…${ns.address}', { auth: { token } })\``
      : `- \`query.token\` in the URL: \`io('…${ns.address}', { query: { token } })\``,
  );
  if (ns.auth.event) ways.push(`- after connecting, the \`${ns.auth.event}\` event`);
  out.push(
    ways.length
      ? `The client proves who it is with, in order:\n\n${ways.join('\n')}`
      : 'No authentication is declared.',
    '',
    CONNECTING_NOTE,
    '',
  );
  if (ns.errors.ack !== undefined || ns.errors.event) {
    out.push('## Errors', '');
    if (ns.errors.ack !== undefined)
      out.push(
        'An operation with an acknowledgement reports failure in its ack:',
        '',
        fence(ns.errors.ack),
        '',
      );
    if (ns.errors.event) {
      out.push(
        `An operation without one reports it with the ${link(nsDoc, ns.errors.event)} event, sent to the emitting socket.`,
        '',
      );
      if (ns.errors.payload !== undefined) out.push(fence(ns.errors.payload), '');
    }
    out.push(
      'In these templates `{code}`, `{message}` and `{event}` are filled in; a value that is exactly `{issues}` becomes the list of validation issues.',
      '',
    );
  }
  out.push('## Operations', '', '| Event | Direction | Summary |', '| --- | --- | --- |');
  for (const doc of nsDoc.operations) {
    out.push(
      `| [\`${cell(doc.op.event)}\`](#${githubAnchor(heading(doc))}) | ${doc.direction} | ${cell(doc.op.summary ?? '')} |`,
    );
  }
  out.push('');
  for (const doc of nsDoc.operations) out.push(operation(doc, nsDoc));
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
