/**
 * The site's HTML pages: the index (namespaces, every operation, the search box) and one page per namespace
 * (connection, error shape, and per operation its payload, examples, ack, errors, effects and sequence).
 */
import type { IRExample, IRNamespace, IROperation } from '../../codegen/ir/types.js';
import {
  audienceText,
  carriesText,
  clientUsage,
  type DocsModel,
  type NamespaceDoc,
  type OperationDoc,
  WHEN_TEXT,
} from '../model.js';
import type { FieldRow } from '../schema.js';
import { esc, inline, json, markdown } from './html.js';
import { sequenceSvg } from './svg.js';

export interface PageOptions {
  /** Whether the site has the AsyncAPI React view (`asyncapi.html`). */
  asyncapiView: boolean;
}

/** The frame every page shares. `root` is the relative path to the site's root (`''` or `../`). */
function page(model: DocsModel, title: string, root: string, body: string, options: PageOptions): string {
  const view = options.asyncapiView ? `<a href="${root}asyncapi.html">AsyncAPI view</a>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="parley docs">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${root}assets/site.css">
</head>
<body>
<header class="top">
<a class="brand" href="${root}index.html">${esc(model.title)} <span class="version">${esc(model.version)}</span></a>
<label class="search"><span class="sr-only">Search operations</span><input id="search" type="search" placeholder="Search operations (press /)" autocomplete="off"></label>
<span id="search-count" class="count" aria-live="polite"></span>
<nav class="links">${view}</nav>
</header>
${body}
<script src="${root}assets/search.js"></script>
</body>
</html>
`;
}

const badge = (op: IROperation): string =>
  `<span class="badge ${op.action}">${op.action === 'receive' ? 'client → server' : 'server → client'}</span>`;

function searchItem(doc: OperationDoc, href: string, tag: 'li'): string {
  const { op } = doc;
  return `<${tag} class="op-item" data-op="${esc(doc.anchor)}" data-search="${esc(doc.searchText)}"><a href="${esc(href)}">${badge(op)} <code class="event">${esc(op.event)}</code></a>${op.summary ? ` <span class="summary">${inline(op.summary)}</span>` : ''}</${tag}>`;
}

export function indexPage(model: DocsModel, options: PageOptions): string {
  const rows = model.namespaces
    .map(({ ns, slug }) => {
      const page = `namespaces/${slug}.html`;
      return `<tr><td><a href="${esc(page)}"><code>${esc(ns.address)}</code></a></td><td>${esc(ns.title ?? '')}</td><td class="num">${ns.receive.length}</td><td class="num">${ns.send.length}</td><td><a href="markdown/${esc(slug)}.md">${esc(slug)}.md</a></td></tr>`;
    })
    .join('\n');
  const groups = model.namespaces
    .map(
      ({ ns, slug, operations }) => `<section class="group" data-group>
<h3><a href="namespaces/${esc(slug)}.html"><code>${esc(ns.address)}</code></a> ${esc(ns.title ?? '')}</h3>
<ul class="op-list">
${operations.map((doc) => searchItem(doc, `namespaces/${slug}.html#${doc.anchor}`, 'li')).join('\n')}
</ul>
</section>`,
    )
    .join('\n');
  const view = options.asyncapiView
    ? '<p class="note">The same document in the AsyncAPI ecosystem’s generic renderer: <a href="asyncapi.html">AsyncAPI view</a>. It knows nothing of Socket.IO, acks as callbacks or the <code>x-parley-*</code> extensions; these pages do.</p>'
    : '';
  const body = `<main class="index">
<h1>${esc(model.title)} <span class="version">${esc(model.version)}</span></h1>
<div class="desc">${markdown(model.description)}</div>
${view}
<h2>Namespaces</h2>
<table class="namespaces">
<thead><tr><th>Namespace</th><th>Title</th><th>Client events</th><th>Server events</th><th>Markdown</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Operations</h2>
<p id="search-empty" class="empty" hidden>No operation matches the search.</p>
${groups}
</main>`;
  return page(model, `${model.title} ${model.version}`, '', body, options);
}

export function namespacePage(model: DocsModel, nsDoc: NamespaceDoc, options: PageOptions): string {
  const { ns, operations } = nsDoc;
  const toc = `<nav class="toc" aria-label="Operations">
<p class="toc-title">Operations</p>
<ul class="op-list">
${operations.map((doc) => searchItem(doc, `#${doc.anchor}`, 'li')).join('\n')}
</ul>
</nav>`;
  const body = `<div class="layout">
${toc}
<main class="namespace">
<p class="crumbs"><a href="../index.html">All namespaces</a> › <code>${esc(ns.address)}</code></p>
<h1><code>${esc(ns.address)}</code> ${esc(ns.title ?? '')}</h1>
<div class="desc">${markdown(ns.description)}</div>
${connection(ns)}
${errorShape(ns, nsDoc)}
<p id="search-empty" class="empty" hidden>No operation matches the search.</p>
${operations.map((doc) => operationSection(doc, nsDoc)).join('\n')}
</main>
</div>`;
  return page(model, `${ns.address} · ${model.title}`, '../', body, options);
}

function connection(ns: IRNamespace): string {
  const ways = ns.auth.handshake.map((where) =>
    where === 'auth.token'
      ? `<li><code>auth.token</code> in the handshake: <code>io('${esc(`…${ns.address}`)}', { auth: { token } })</code></li>`
      : `<li><code>query.token</code> in the URL: <code>io('${esc(`…${ns.address}`)}', { query: { token } })</code></li>`,
  );
  if (ns.auth.event) ways.push(`<li>after connecting, the <code>${esc(ns.auth.event)}</code> event</li>`);
  const how = ways.length
    ? `<p>The client proves who it is with, in order:</p><ul>${ways.join('')}</ul>`
    : '<p>No authentication is declared for this namespace.</p>';
  return `<section class="connection"><h2>Connecting</h2>
<pre><code>const socket = io('http://HOST${esc(ns.address === '/' ? '' : ns.address)}'${ns.auth.handshake.includes('auth.token') ? ', { auth: { token } }' : ''});</code></pre>
${how}</section>`;
}

function errorShape(ns: IRNamespace, nsDoc: NamespaceDoc): string {
  const { errors } = ns;
  const parts: string[] = [];
  if (errors.ack !== undefined) {
    parts.push(
      `<p>An operation with an acknowledgement reports failure in its ack:</p><pre><code>${esc(json(errors.ack))}</code></pre>`,
    );
  }
  if (errors.event) {
    parts.push(
      `<p>An operation without one reports it with the ${eventLink(nsDoc, errors.event)} event, sent to the emitting socket${errors.payload === undefined ? '.' : ':'}</p>${errors.payload === undefined ? '' : `<pre><code>${esc(json(errors.payload))}</code></pre>`}`,
    );
  }
  if (!parts.length) return '';
  return `<section class="errors"><h2>Errors</h2>
${parts.join('\n')}
<p class="note">In these templates <code>{code}</code>, <code>{message}</code> and <code>{event}</code> are filled in; a value that is exactly <code>{issues}</code> becomes the list of validation issues. Codes: <code>VALIDATION_FAILED</code>, <code>UNAUTHENTICATED</code>, <code>FORBIDDEN</code>, <code>NOT_FOUND</code>, <code>CONFLICT</code>, <code>RATE_LIMITED</code>, <code>NOT_IMPLEMENTED</code>, <code>INTERNAL</code>.</p>
</section>`;
}

/** A link to the server event `event` of the namespace, or the bare name when it is not documented. */
function eventLink(nsDoc: NamespaceDoc, event: string, action: 'send' | 'receive' = 'send'): string {
  const target = nsDoc.operations.find((d) => d.op.action === action && d.op.event === event);
  const code = `<code>${esc(event)}</code>`;
  return target ? `<a href="#${esc(target.anchor)}">${code}</a>` : code;
}

function fieldTable(rows: FieldRow[]): string {
  if (!rows.length) return '<p class="none">No payload.</p>';
  const body = rows
    .map((row) => {
      const name = row.label ?? (row.path === '' ? '(payload)' : lastSegment(row.path));
      const cls = row.label ? ' class="option"' : '';
      const required = row.label || row.path === '' ? '' : row.required ? 'yes' : 'no';
      const type = row.recursive
        ? `${esc(row.type)} <span class="rec">(recursive, see above)</span>`
        : esc(row.type);
      return `<tr${cls}><td style="padding-left:${0.5 + row.depth * 1.25}rem" title="${esc(row.path)}"><code>${esc(name)}</code></td><td>${type}</td><td>${required}</td><td>${row.constraints.map((c) => `<span class="c">${esc(c)}</span>`).join(' ')}</td><td>${inline(row.description ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<table class="fields"><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Constraints</th><th>Description</th></tr></thead><tbody>
${body}
</tbody></table>`;
}

/** `message.sender._id` → `_id`; `messageIds[]` stays whole. */
export function lastSegment(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

function example(e: IRExample, i: number, label: string): string {
  const title = e.name ?? `${label} ${i + 1}`;
  return `<figure class="example"><figcaption><strong>${esc(title)}</strong>${e.summary ? ` — ${inline(e.summary)}` : ''}</figcaption><pre><code>${esc(json(e.payload))}</code></pre></figure>`;
}

/** Request examples, each beside the ack example that answers it (paired by name, or the only one). */
function examples(doc: OperationDoc): { html: string; unpaired: IRExample[] } {
  const requests = doc.op.message.examples;
  const replies = doc.ack?.message.examples ?? [];
  const used = new Set<IRExample>();
  const pairOf = (e: IRExample): IRExample | undefined => {
    if (replies.length === 1) return replies[0];
    return e.name === undefined ? undefined : replies.find((r) => r.name === e.name);
  };
  const items = requests.map((e, i) => {
    const reply = pairOf(e);
    if (reply) used.add(reply);
    return `<div class="pair">${example(e, i, 'Example')}${reply ? example(reply, replies.indexOf(reply), 'Ack').replace('<figure class="example">', '<figure class="example ack"><p class="arrow">ack ←</p>') : ''}</div>`;
  });
  return {
    html: items.length ? `<h4>Examples</h4>\n${items.join('\n')}` : '',
    unpaired: replies.filter((r) => !used.has(r)),
  };
}

function failure(doc: OperationDoc, nsDoc: NamespaceDoc): string {
  const f = doc.failure;
  if (!f) return '';
  if (f.via === 'ack') {
    return `<h4>Errors</h4><p>A failed call changes nothing and is acknowledged with the namespace’s error ack:</p><pre><code>${esc(json(f.template))}</code></pre>`;
  }
  if (f.via === 'log') {
    return `<h4>Errors</h4><p>A failure reaches no client: ${esc(f.reason)}. The server logs it${doc.op.reply ? ' and leaves the ack unanswered' : ''}.</p>`;
  }
  const whose = f.declaredBy === 'operation' ? 'this operation’s error event' : 'the namespace’s error event';
  return `<h4>Errors</h4><p>A failure is reported with ${eventLink(nsDoc, f.event)} (${whose}), sent to the emitting socket${doc.op.reply ? ' (the ack is left unanswered)' : ''}${f.template === undefined ? '.' : ':'}</p>${f.template === undefined ? '' : `<pre><code>${esc(json(f.template))}</code></pre>`}`;
}

function effects(doc: OperationDoc, nsDoc: NamespaceDoc): string {
  const parts: string[] = [];
  if (doc.op.effects.length) {
    const items = doc.op.effects.map(
      (e) =>
        `<li>${eventLink(nsDoc, e.event)} to ${inline(audienceText(e))}, ${WHEN_TEXT[e.when]}${inline(carriesText(e))}${e.description ? ` — ${inline(e.description)}` : ''}</li>`,
    );
    parts.push(`<h4>Causes</h4><ul class="effects">${items.join('')}</ul>`);
  }
  if (doc.causedBy.length) {
    const items = doc.causedBy.map(
      ({ op, effect }) =>
        `<li>${eventLink(nsDoc, op.event, 'receive')} (client → server), to ${inline(audienceText(effect))}, ${WHEN_TEXT[effect.when]}</li>`,
    );
    parts.push(`<h4>Caused by</h4><ul class="effects">${items.join('')}</ul>`);
  }
  return parts.join('\n');
}

function operationSection(doc: OperationDoc, nsDoc: NamespaceDoc): string {
  const { op } = doc;
  const ex = examples(doc);
  const ack = doc.ack
    ? `<h4>Acknowledgement <code>${esc(doc.ack.message.name)}</code></h4>
${doc.ack.message.summary ? `<p>${inline(doc.ack.message.summary)}</p>` : ''}
${fieldTable(doc.ack.rows)}
${ex.unpaired.map((e, i) => example(e, i, 'Ack')).join('\n')}`
    : '';
  const notes = [
    op.reserved
      ? '<p class="note">A Socket.IO reserved event: the client sees it as <code>connect_error</code>; it is in no event map.</p>'
      : '',
    op.untestable
      ? `<p class="note">Not observable by the conformance harness: ${inline(op.untestable)}</p>`
      : '',
  ].join('');
  const title = `${op.event} (${doc.direction})`;
  return `<section class="op" id="${esc(doc.anchor)}" data-op="${esc(doc.anchor)}" data-search="${esc(doc.searchText)}">
<h3>${badge(op)} <code class="event">${esc(op.event)}</code> <a class="permalink" href="#${esc(doc.anchor)}" aria-label="Link to ${esc(op.event)}">#</a></h3>
<p class="ids">operation <code>${esc(op.id)}</code> · message <code>${esc(op.message.key)}</code></p>
${op.summary ? `<p class="summary">${inline(op.summary)}</p>` : ''}
<div class="desc">${markdown(op.description)}</div>
${notes}
<pre class="usage"><code>${esc(clientUsage(op))}</code></pre>
<h4>Payload</h4>
${op.message.summary ? `<p>${inline(op.message.summary)}</p>` : ''}
${fieldTable(doc.payload)}
${ex.html}
${ack}
${failure(doc, nsDoc)}
${effects(doc, nsDoc)}
<h4>Sequence</h4>
<div class="diagram">${sequenceSvg(doc.sequence, `Sequence of ${title}`, doc.anchor)}</div>
</section>`;
}
