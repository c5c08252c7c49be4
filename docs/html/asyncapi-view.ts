/**
 * The AsyncAPI ecosystem's own renderer as an extra view of the site: `@asyncapi/react-component`'s
 * standalone browser bundle (React included), copied into the site so that nothing loads from a CDN.
 *
 * The renderer parses the document in the browser, so it gets the spec's source files. A browser cannot
 * read `file://` URLs, so every file the compiler read is embedded in `asyncapi/spec.js` under a stable
 * virtual path (`/spec/…`, relative to the files' common folder, never the build machine's), and the
 * parser gets a resolver that answers `$ref`s from there.
 */
import { esc } from './html.js';
import type { SiteFile } from './types.js';

/** Where the package's files are, when it is installed. */
export interface AsyncapiBundle {
  script: string;
  stylesheet: string;
  license: string;
  version: string;
}

export interface SpecSource {
  /** Path relative to the common folder of every spec file, with `/`. */
  path: string;
  text: string;
}

const BOOT_JS = `// Renders the embedded AsyncAPI document with the AsyncAPI React component; $refs resolve from the embedded files.
(function () {
  'use strict';
  var spec = window.PARLEY_SPEC;
  var resolver = {
    schema: 'file',
    order: 1,
    read: function (uri) {
      var path = decodeURIComponent(String(uri).replace(/^file:\\/\\//, ''));
      if (Object.prototype.hasOwnProperty.call(spec.files, path)) return spec.files[path];
      throw new Error('The site has no copy of ' + path);
    }
  };
  window.AsyncApiStandalone.render({
    schema: spec.files[spec.root],
    config: {
      show: { sidebar: true },
      parserOptions: { source: 'file://' + spec.root, __unstable: { resolver: { resolvers: [resolver] } } }
    }
  }, document.getElementById('asyncapi'));
})();
`;

export function asyncapiView(title: string, bundle: AsyncapiBundle, sources: SpecSource[]): SiteFile[] {
  const root = sources[0];
  if (!root) throw new Error('asyncapiView needs the spec files, the root first.');
  const files: Record<string, string> = {};
  for (const s of sources) files[`/spec/${s.path}`] = s.text;
  const data = JSON.stringify({ root: `/spec/${root.path}`, files }, null, 1).replaceAll('</', '<\\/');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="parley docs">
<title>${esc(title)} · AsyncAPI view</title>
<link rel="stylesheet" href="vendor/asyncapi-react/default.min.css">
<style>.parley-bar{font:14px system-ui,sans-serif;padding:.6rem 1.25rem;border-bottom:1px solid #d1d9e0;background:#f6f8fa}.parley-bar a{color:#0969da}</style>
</head>
<body>
<div class="parley-bar"><a href="index.html">← ${esc(title)} protocol docs</a> · rendered by <code>@asyncapi/react-component</code> ${esc(bundle.version)}, which shows the plain AsyncAPI document: no acks as callbacks, effects or error shapes.</div>
<div id="asyncapi"></div>
<script src="vendor/asyncapi-react/standalone.js"></script>
<script src="asyncapi/spec.js"></script>
<script src="asyncapi/boot.js"></script>
</body>
</html>
`;
  return [
    { path: 'asyncapi.html', contents: html },
    { path: 'asyncapi/spec.js', contents: `window.PARLEY_SPEC = ${data};\n` },
    { path: 'asyncapi/boot.js', contents: BOOT_JS },
    { path: 'vendor/asyncapi-react/standalone.js', copyFrom: bundle.script },
    { path: 'vendor/asyncapi-react/default.min.css', copyFrom: bundle.stylesheet },
    { path: 'vendor/asyncapi-react/LICENSE', copyFrom: bundle.license },
  ];
}
