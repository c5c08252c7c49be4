/** Where the domain reports what it cannot throw to a caller (a listener that failed inside a timer). */
export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  warn() {},
  error() {},
};
