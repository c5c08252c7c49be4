/**
 * Tests that need a service (PostgreSQL, Redis) run when it answers; otherwise they are skipped with the reason
 * printed, unless PARLEY_REQUIRE_SERVICES=1 (CI), where an unreachable service fails the run.
 */
export const REQUIRE_SERVICES = process.env.PARLEY_REQUIRE_SERVICES === '1';

/**
 * Probes a service: resolves to why it cannot be used (`undefined` when it can), having printed that its
 * tests (`what`) are skipped when the run does not require it.
 */
export async function serviceProblem(
  what: string,
  probe: () => Promise<string | undefined>,
): Promise<string | undefined> {
  const problem = await probe();
  if (problem !== undefined && !REQUIRE_SERVICES) {
    console.warn(`skipping ${what}: ${problem}. Set PARLEY_REQUIRE_SERVICES=1 to fail instead.`);
  }
  return problem;
}

/** The Redis the cluster tests use. */
export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Why Redis at `REDIS_URL` cannot be used, or `undefined`. */
export async function probeRedis(): Promise<string | undefined> {
  const { createClient } = await import('redis');
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2000 } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${REDIS_URL} is unreachable (${(error as Error).message})`;
  } finally {
    if (client.isOpen) client.destroy();
  }
}
