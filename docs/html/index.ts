/** The HTML site: IR → files (paths relative to the site's folder). Pure: the CLI writes them. */
import type { DocsModel } from '../model.js';
import { SEARCH_JS, SITE_CSS } from './assets.js';
import { type AsyncapiBundle, asyncapiView, type SpecSource } from './asyncapi-view.js';
import { indexPage, namespacePage } from './pages.js';
import type { SiteFile } from './types.js';

export interface SiteOptions {
  /** The AsyncAPI React view, when its bundle is installed and wanted; with the spec's source files. */
  asyncapi?: { bundle: AsyncapiBundle; sources: SpecSource[] };
}

export function buildSite(model: DocsModel, options: SiteOptions = {}): SiteFile[] {
  const pageOptions = { asyncapiView: options.asyncapi !== undefined };
  const files: SiteFile[] = [
    { path: 'index.html', contents: indexPage(model, pageOptions) },
    { path: 'assets/site.css', contents: SITE_CSS },
    { path: 'assets/search.js', contents: SEARCH_JS },
    ...model.namespaces.map((ns) => ({
      path: `namespaces/${ns.slug}.html`,
      contents: namespacePage(model, ns, pageOptions),
    })),
  ];
  if (options.asyncapi) {
    files.push(...asyncapiView(model.title, options.asyncapi.bundle, options.asyncapi.sources));
  }
  return files;
}

export type { AsyncapiBundle, SpecSource } from './asyncapi-view.js';
export type { SiteFile } from './types.js';
