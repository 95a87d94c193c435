import type { Logger, LogLevel } from '../logging/logger';

/** One line a {@link recordingLogger} kept. */
export interface LogLine {
  readonly level: LogLevel;
  /** Undefined for a line logged as fields only. */
  readonly message: string | undefined;
  readonly fields: Record<string, unknown>;
}

/**
 * A {@link Logger} that keeps every line, pino-style `(fields, message)` or `(message)`, so a
 * test can assert what a server logged.
 */
export function recordingLogger(): { readonly logger: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const method =
    (level: LogLevel) =>
    (fieldsOrMessage: object | string, message?: string): void => {
      if (typeof fieldsOrMessage === 'string') lines.push({ level, message: fieldsOrMessage, fields: {} });
      else lines.push({ level, message, fields: fieldsOrMessage as Record<string, unknown> });
    };
  const logger: Logger = {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
  return { logger, lines };
}
