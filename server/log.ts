/**
 * Structured logs (JSON lines through pino): a level, the event, the user; never a token or a secret
 * (`redact` removes them even when a caller passes one by mistake).
 */
import { type Logger as Pino, pino } from 'pino';
import type { Logger as DomainLogger } from './domain/logger.js';

export type Logger = Pino;

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: undefined,
      redact: {
        paths: ['token', '*.token', 'auth', '*.auth', 'secret', '*.secret', 'authorization'],
        censor: '[redacted]',
      },
    },
    options.destination ?? process.stdout,
  );
}

/** The domain's narrow logger interface over pino. */
export function domainLogger(log: Logger): DomainLogger {
  return {
    warn: (message, details) => log.warn(details ?? {}, message),
    error: (message, details) => log.error(details ?? {}, message),
  };
}
