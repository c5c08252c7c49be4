/**
 * The reference server's storage, Redis and upload packages are optional peer dependencies of the published
 * package (a project that only generates code, types its own server and runs conformance needs none of them).
 * Those that only one configuration uses are imported when it is chosen, with a message naming what to install.
 */
export class MissingDependencyError extends Error {
  constructor(
    readonly packageName: string,
    purpose: string,
  ) {
    super(`${purpose} needs the package ${packageName}, which is not installed. Fix: npm i ${packageName}`);
    this.name = 'MissingDependencyError';
  }
}

export async function importOptional<T>(packageName: string, purpose: string): Promise<T> {
  try {
    return (await import(packageName)) as T;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'ERR_MODULE_NOT_FOUND' && message?.includes(`'${packageName}'`)) {
      throw new MissingDependencyError(packageName, purpose);
    }
    throw error;
  }
}
