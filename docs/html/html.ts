/**
 * HTML helpers: escaping, and the small Markdown subset the spec's descriptions use (paragraphs, fenced
 * code, inline code, emphasis, links, bullet lists). Everything from the spec is escaped before any markup is
 * added, so a description cannot inject HTML into the site.
 */

export function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Inline Markdown: `code`, **strong**, *em*, [text](url) with http(s), relative or `#` URLs only. */
export function inline(text: string): string {
  const out: string[] = [];
  // Code spans first: nothing inside them is markup.
  const pieces = text.split(/(`[^`]+`)/);
  for (const piece of pieces) {
    if (piece.startsWith('`') && piece.endsWith('`') && piece.length > 1) {
      out.push(`<code>${esc(piece.slice(1, -1))}</code>`);
      continue;
    }
    let html = esc(piece);
    html = html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    html = html.replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>');
    html = html.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
      /^(https?:\/\/|#|\.{0,2}\/|[\w-]+\.html)/.test(url) ? `<a href="${url}">${label}</a>` : whole,
    );
    out.push(html);
  }
  return out.join('');
}

/** Block Markdown: paragraphs, fenced code blocks and `-`/`*` bullet lists. */
export function markdown(text: string | undefined): string {
  if (!text) return '';
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = (): void => {
    if (paragraph.length) blocks.push(`<p>${inline(paragraph.join(' '))}</p>`);
    if (list.length) blocks.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    paragraph = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').trim().startsWith(fence[1] ?? '```'); i++) {
        code.push(lines[i] ?? '');
      }
      const lang = fence[2] ? ` class="language-${esc(fence[2])}"` : '';
      blocks.push(`<pre><code${lang}>${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    if (bullet) {
      if (paragraph.length) {
        blocks.push(`<p>${inline(paragraph.join(' '))}</p>`);
        paragraph = [];
      }
      list.push(bullet[1] ?? '');
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (list.length && /^\s+\S/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list.length) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks.join('\n');
}

/** Pretty JSON for an example or a template. */
export function json(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value, null, 2);
}
