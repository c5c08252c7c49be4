/**
 * The site's stylesheet and its one script (the search box). Both are files of the site, not inline, and
 * load nothing from anywhere else: the site works from `file://` without a network.
 */

export const SEARCH_JS = `// The search box: shows the operations whose event name, id, summary or description contain every word typed.
(function () {
  'use strict';
  var input = document.getElementById('search');
  if (!input) return;
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('[data-group]'));
  var count = document.getElementById('search-count');
  var empty = document.getElementById('search-empty');
  var total = new Set(items.map(function (el) { return el.getAttribute('data-op'); })).size;
  function apply() {
    var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = new Set();
    items.forEach(function (el) {
      var text = el.getAttribute('data-search') || '';
      var hit = terms.every(function (t) { return text.indexOf(t) >= 0; });
      el.hidden = !hit;
      if (hit) shown.add(el.getAttribute('data-op'));
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('[data-search]:not([hidden])'); });
    if (count) count.textContent = terms.length ? shown.size + ' of ' + total + ' operations' : total + ' operations';
    if (empty) empty.hidden = shown.size > 0;
  }
  input.addEventListener('input', apply);
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== input) { e.preventDefault(); input.focus(); }
    if (e.key === 'Escape' && document.activeElement === input) { input.value = ''; apply(); }
  });
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) input.value = q;
  apply();
})();
`;

export const SITE_CSS = `:root {
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da;
  --recv: #0969da; --send: #1a7f37; --fail: #cf222e; --code: #eff2f5;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --soft: #151b23; --accent: #4493f8;
    --recv: #4493f8; --send: #3fb950; --fail: #f85149; --code: #1f2630; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem; overflow: auto; }
pre code { background: none; padding: 0; }
h1 { font-size: 1.8rem; margin: 0.5rem 0; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; margin-top: 2rem; }
h3 { font-size: 1.15rem; margin: 0 0 0.25rem; }
h4 { font-size: 0.95rem; margin: 1.25rem 0 0.4rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
h4 code { text-transform: none; letter-spacing: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.top { position: sticky; top: 0; z-index: 2; display: flex; gap: 1rem; align-items: center; padding: 0.6rem 1.25rem;
  background: var(--soft); border-bottom: 1px solid var(--line); }
.brand { font-weight: 600; color: var(--fg); }
.version { color: var(--muted); font-weight: 400; font-size: 0.85em; }
.search input { width: 22rem; max-width: 50vw; padding: 0.35rem 0.6rem; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); font: inherit; }
.count { color: var(--muted); font-size: 0.85rem; }
.links { margin-left: auto; }
main { padding: 1rem 1.5rem 4rem; max-width: 72rem; }
main.index { margin: 0 auto; }
.layout { display: flex; align-items: flex-start; }
.toc { position: sticky; top: 3.2rem; width: 19rem; flex: none; max-height: calc(100vh - 3.2rem); overflow: auto;
  padding: 1rem 0.75rem; border-right: 1px solid var(--line); font-size: 0.9rem; }
.toc-title { margin: 0 0 0.5rem; font-weight: 600; }
.toc .summary { display: none; }
.op-list { list-style: none; padding: 0; margin: 0; }
.op-list li { padding: 0.2rem 0; }
.op-list .summary { color: var(--muted); }
.badge { display: inline-block; font-size: 0.72rem; font-weight: 600; padding: 0.05rem 0.45rem; border-radius: 999px;
  border: 1px solid currentColor; white-space: nowrap; vertical-align: 0.1em; }
.badge.receive { color: var(--recv); }
.badge.send { color: var(--send); }
code.event { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; }
tr.option td { background: var(--soft); font-style: italic; }
.c { display: inline-block; background: var(--code); border-radius: 4px; padding: 0 0.3rem; margin: 0 0.2rem 0.2rem 0; font-size: 0.85em; }
.rec { color: var(--muted); font-size: 0.85em; }
.op { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1.5rem 0; scroll-margin-top: 3.5rem; }
.op:target { border-color: var(--accent); box-shadow: 0 0 0 2px var(--accent); }
.ids { color: var(--muted); font-size: 0.85rem; margin: 0; }
.summary { font-weight: 500; }
.permalink { color: var(--muted); font-weight: 400; }
.usage { margin: 0.5rem 0; }
.pair { display: flex; flex-wrap: wrap; gap: 0.75rem; }
.pair > .example { flex: 1 1 20rem; min-width: 0; }
.example { margin: 0.25rem 0; }
.example figcaption { font-size: 0.85rem; color: var(--muted); }
.example.ack .arrow { margin: 0; font-size: 0.75rem; color: var(--send); font-weight: 600; }
.effects { margin: 0.25rem 0; }
.note { color: var(--muted); font-size: 0.9rem; }
.empty { color: var(--fail); }
.diagram { overflow-x: auto; }
svg.seq { font: 12px system-ui, sans-serif; max-width: none; }
svg.seq rect { fill: var(--soft); stroke: var(--line); }
svg.seq .seq-lane-label { text-anchor: middle; font-weight: 600; fill: var(--fg); }
svg.seq .seq-lane-sub { text-anchor: middle; font-size: 10.5px; fill: var(--muted); }
svg.seq .seq-life { stroke: var(--line); stroke-dasharray: 4 4; }
svg.seq .seq-step line { stroke: var(--fg); stroke-width: 1.4; }
svg.seq .seq-step text { text-anchor: middle; fill: var(--fg); font-family: ui-monospace, Menlo, Consolas, monospace; }
svg.seq .seq-ack line { stroke-dasharray: 6 4; stroke: var(--send); }
svg.seq .seq-ack text { fill: var(--send); }
svg.seq .seq-failure line { stroke-dasharray: 6 4; stroke: var(--fail); }
svg.seq .seq-failure text { fill: var(--fail); }
svg.seq .seq-head { fill: var(--fg); }
svg.seq .seq-head-fail { fill: var(--fail); }
svg.seq .seq-head-ack { fill: var(--send); }
.crumbs { color: var(--muted); font-size: 0.9rem; }
[hidden] { display: none !important; }
@media (max-width: 900px) { .toc { display: none; } .search input { width: 12rem; } }
`;
