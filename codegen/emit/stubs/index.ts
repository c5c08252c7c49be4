/**
 * Handler stubs: each namespace has a hand-written handler module (`server/handlers/<ns>.ts`) holding
 *
 *   export const messengerHandlers = { ... } satisfies MessengerHandlers;
 *
 * For each client event of the spec that has no handler there yet, a typed stub that throws NOT_IMPLEMENTED
 * is inserted with ts-morph, leaving every other character of the file as it was. Handlers whose event left
 * the spec are reported, never deleted. Pure: takes the module's current text, returns the new text.
 */
import type { IRNamespace } from '../../ir/types.js';
import { ts } from '../../print/ts.js';
import { ids, wireOperations } from '../names.js';

export interface StubPlan {
  /** The module's new text (unchanged when nothing was inserted). */
  contents: string;
  /** Events a stub was inserted for. */
  inserted: string[];
  /** Handlers in the module for events the spec no longer has. */
  orphaned: string[];
  created: boolean;
}

export interface StubImports {
  /** Import specifier of the runtime from the handler module. */
  runtime: string;
  /** Import specifier of the namespace's generated `server.gen.js` from the handler module. */
  server: string;
}

export function handlersConst(ns: IRNamespace): string {
  return `${ns.ident}Handlers`;
}

export async function planStubs(
  ns: IRNamespace,
  current: string | undefined,
  imports: StubImports,
): Promise<StubPlan> {
  const created = current === undefined;
  const text = current ?? newModule(ns, imports);
  const found = findHandlers(text, handlersConst(ns));
  if (!found) {
    throw new Error(
      `The handler module for ${ns.address} has no \`export const ${handlersConst(ns)} = { ... } satisfies ${ids.handlers(ns)}\`. ` +
        `Expected an object literal that parley can add stubs to; fix: restore that declaration, or pass --no-stubs.`,
    );
  }
  const wanted = wireOperations(ns.receive).map((op) => op.event);
  const missing = wanted.filter((event) => !found.keys.has(event));
  const orphaned = [...found.keys].filter((key) => !wanted.includes(key));
  if (missing.length === 0) return { contents: text, inserted: [], orphaned, created };
  return {
    contents: await insert(text, handlersConst(ns), missing, imports),
    inserted: missing,
    orphaned,
    created,
  };
}

/** Property names of the handlers object, read with the TypeScript parser (no ts-morph project needed). */
function findHandlers(text: string, name: string): { keys: Set<string> } | undefined {
  const file = ts.createSourceFile('handlers.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const literal = handlersLiteral(file, name);
  if (!literal) return undefined;
  const keys = new Set<string>();
  for (const prop of literal.properties) {
    if (prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) keys.add(prop.name.text);
  }
  return { keys };
}

/** The handlers object: a const's initializer, or what a function of that name returns. */
function handlersLiteral(file: ts.SourceFile, name: string): ts.ObjectLiteralExpression | undefined {
  for (const stmt of file.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === name && stmt.body) {
      for (const inner of stmt.body.statements) {
        if (ts.isReturnStatement(inner) && inner.expression) return objectLiteral(inner.expression);
      }
    }
    if (!ts.isVariableStatement(stmt)) continue;
    for (const decl of stmt.declarationList.declarations) {
      if (ts.isIdentifier(decl.name) && decl.name.text === name && decl.initializer) {
        return objectLiteral(decl.initializer);
      }
    }
  }
  return undefined;
}

function objectLiteral(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let e = expression;
  while (ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e))
    e = e.expression;
  return ts.isObjectLiteralExpression(e) ? e : undefined;
}

/** Insert stubs with ts-morph, loaded only now: most runs have nothing to insert. */
async function insert(text: string, name: string, events: string[], imports: StubImports): Promise<string> {
  const { IndentationText, Project, QuoteKind, SyntaxKind } = await import('ts-morph');
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('handlers.ts', text);
  const owner = file.getVariableDeclaration(name) ?? file.getFunctionOrThrow(name);
  const returned = owner.isKind(SyntaxKind.FunctionDeclaration)
    ? owner.getStatements().find((st) => st.isKind(SyntaxKind.ReturnStatement))
    : owner;
  const literal = returned!.getFirstDescendantByKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  for (const event of events) {
    literal.addMethod({
      name: /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(event) ? event : `'${event.replace(/'/g, "\\'")}'`,
      parameters: [{ name: '_payload' }, { name: '_ctx' }],
      statements: [`throw notImplemented(${JSON.stringify(event).replace(/^"|"$/g, "'")});`],
    });
  }
  if (
    !file
      .getImportDeclarations()
      .some((i) => i.getNamedImports().some((n) => n.getName() === 'notImplemented'))
  ) {
    file.insertImportDeclaration(0, { namedImports: ['notImplemented'], moduleSpecifier: imports.runtime });
  }
  return file.getFullText();
}

function newModule(ns: IRNamespace, imports: StubImports): string {
  return [
    `import { notImplemented } from '${imports.runtime}';`,
    `import type { ${ids.handlers(ns)} } from '${imports.server}';`,
    '',
    `/** Handlers for the \`${ns.address}\` namespace. \`parley generate\` adds a stub here for each new client event. */`,
    `export const ${handlersConst(ns)} = {} satisfies ${ids.handlers(ns)};`,
    '',
  ].join('\n');
}
