/**
 * The docs stage: IR → a static site (HTML pages, SVG sequence diagrams, a search box, optionally the
 * AsyncAPI React view) and the same content as Markdown under `markdown/`. Pure: it returns files, and
 * `parley docs` writes them. Same IR, same files, byte for byte.
 */
import type { IRDocument } from '../codegen/ir/types.js';
import { buildSite, type SiteFile, type SiteOptions } from './html/index.js';
import { buildMarkdown } from './markdown.js';
import { buildModel } from './model.js';

export function buildDocs(ir: IRDocument, options: SiteOptions = {}): SiteFile[] {
  const model = buildModel(ir);
  const files = [...buildSite(model, options), ...buildMarkdown(model)];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type { AsyncapiBundle, SiteFile, SiteOptions, SpecSource } from './html/index.js';
export { buildModel } from './model.js';
export { findAsyncapiBundle, specSources } from './vendor.js';
