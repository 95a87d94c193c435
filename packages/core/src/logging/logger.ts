/** How loud a log line is, quietest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * One level of a {@link Logger}, called as `(message)` or `(fields, message)`: pino's and
 * bunyan's convention, which `console` also accepts (it prints the fields object first).
 * Fields are the line's context (`sessionId`, `turnId`, `reason`…); an error goes under `err`,
 * the key pino serializes with its stack. An `Error` given alone stands for `{ err }`.
 */
export interface LogMethod {
  (message: string): void;
  (fields: object, message?: string): void;
}

/**
 * Where voxduplex's server packages write what happens to their connections and sessions.
 * `console`, a pino or bunyan logger, or anything with these four methods fits as is;
 * {@link consoleLogger} prints more readably than bare `console`.
 *
 * @example
 * ```ts
 * attachVoiceAgent(io.of('/voice'), { logger: pino(), authenticate, createSession });
 * attachVoiceAgent(io.of('/voice'), { logger: consoleLogger('info'), authenticate, createSession });
 * ```
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** The part of `console` {@link consoleLogger} writes to. */
export type ConsoleLike = Pick<Console, LogLevel>;

/**
 * A {@link Logger} that prints lines at `level` and louder to the console: the message
 * (prefixed `[voxduplex]`), then its fields, then the error under `err` with its stack.
 * The default `'warn'` prints only what needs someone's attention: refusals and failures.
 *
 * @param target where to print; `console` unless a test or a host wants the lines elsewhere.
 */
export function consoleLogger(level: LogLevel = 'warn', target: ConsoleLike = console): Logger {
  const threshold = LEVELS.indexOf(level);
  const method =
    (lineLevel: LogLevel): LogMethod =>
    (fieldsOrMessage: object | string, message?: string) => {
      if (LEVELS.indexOf(lineLevel) < threshold) return;
      const { text, fields, error } = splitLine(fieldsOrMessage, message);
      const args: unknown[] = [`[voxduplex] ${text}`];
      if (Object.keys(fields).length > 0) args.push(fields);
      if (error !== undefined) args.push(error);
      target[lineLevel](...args);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** A {@link Logger} that drops every line (tests, or a host that reports through hooks only). */
export const silentLogger: Logger = Object.freeze({
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
});

/**
 * A logger that adds `fields` to every line of `parent`, like pino's `child()`: bind the ids a
 * component always reports (`{ sessionId }`, `{ socketId, namespace }`) once. Fields given
 * with a line win over the bound ones.
 *
 * @example
 * ```ts
 * const log = childLogger(logger, { sessionId: session.id });
 * log.warn({ turnId, reason: 'timeout' }, 'reply abandoned'); // → { sessionId, turnId, reason }
 * ```
 */
export function childLogger(parent: Logger, fields: object): Logger {
  const method =
    (level: LogLevel): LogMethod =>
    (fieldsOrMessage: object | string, message?: string) => {
      const own =
        typeof fieldsOrMessage === 'string'
          ? {}
          : fieldsOrMessage instanceof Error
            ? { err: fieldsOrMessage }
            : fieldsOrMessage;
      const merged = { ...fields, ...own };
      const text = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
      if (text === undefined) parent[level](merged);
      else parent[level](merged, text);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

function splitLine(
  fieldsOrMessage: object | string,
  message: string | undefined,
): { text: string; fields: Record<string, unknown>; error: unknown } {
  if (typeof fieldsOrMessage === 'string') return { text: fieldsOrMessage, fields: {}, error: undefined };
  if (fieldsOrMessage instanceof Error)
    return { text: message ?? fieldsOrMessage.message, fields: {}, error: fieldsOrMessage };
  const { err, ...fields } = fieldsOrMessage as Record<string, unknown>;
  return { text: message ?? '', fields, error: err };
}
