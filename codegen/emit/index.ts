/** Every emitter, in order: the files one IR produces. Pure: nothing here touches the file system. */
import type { IRDocument, IRNamespace } from '../ir/types.js';
import { exportStar, type GeneratedFile, printFile } from '../print/ts.js';
import { emitClient } from './client/index.js';
import type { EmitOptions } from './context.js';
import { emitContract } from './contract/index.js';
import { emitEvents } from './events/index.js';
import { emitModels } from './models/index.js';
import { filePath, files, sibling } from './names.js';
import { emitServer } from './server/index.js';
import { emitSchemas } from './zod/index.js';

export async function emitAll(ir: IRDocument, options: EmitOptions): Promise<GeneratedFile[]> {
  const out: GeneratedFile[] = [];
  for (const ns of ir.namespaces) {
    out.push(
      emitSchemas(ns),
      emitContract(ns, options),
      emitEvents(ns),
      emitServer(ns, options),
      emitClient(ns, options),
      await emitModels(ns, options.previous?.get(filePath(ns, 'models'))),
      namespaceIndex(ns),
    );
  }
  out.push({
    path: files.index,
    contents: printFile(
      ir.namespaces.map((ns) => exportStar(`./${ns.ident}/${files.index.replace(/\.ts$/, '.js')}`, ns.ident)),
    ),
  });
  return out;
}

/** `messenger/index.gen.ts`: the namespace's public surface (models under their own name: they share type names with the schemas). */
function namespaceIndex(ns: IRNamespace): GeneratedFile {
  return {
    path: filePath(ns, 'index'),
    contents: printFile([
      exportStar(sibling('schemas')),
      exportStar(sibling('contract')),
      exportStar(sibling('events')),
      exportStar(sibling('server')),
      exportStar(sibling('client')),
      exportStar(sibling('models'), 'models'),
    ]),
  };
}
