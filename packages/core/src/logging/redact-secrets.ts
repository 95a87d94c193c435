import type { Logger, LogLevel, LogMethod } from './logger';

const REDACTED = '[redacted]';

/**
 * What credentials look like inside error text: the shapes vendors' keys take, and the places
 * an SDK message or a URL quotes one (`?key=`, `Authorization: Bearer`, `api-key: …`).
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // Vendor key shapes: OpenAI / Anthropic style `sk-…`, Google `AIza…`, Slack-style `xox?-…`.
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{12,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  // Credentials in URLs: query parameters and user:password@.
  [
    /([?&](?:key|api[-_]?key|apikey|token|access[-_]?token|sig|signature|secret|password|code)=)[^&\s#"']+/gi,
    `$1${REDACTED}`,
  ],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`],
  // Authorization headers and `name: value` / `name=value` pairs of credential-named fields.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  [
    /\b((?:x-)?api[-_]?key|subscription[-_]?key|ocp-apim-subscription-key|authorization|password|secret|client[-_]?secret|access[-_]?token)(["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"',;)}]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/**
 * `text` with anything that looks like a credential replaced by `[redacted]`: vendor key shapes
 * (`sk-…`, `AIza…`), credentials in URLs (`?key=…`, `user:pass@`), `Bearer …` and
 * `api-key: …`-style pairs. A heuristic for foreign text (vendor error messages, causes, stacks)
 * that may quote the server's keys; it cannot know a secret that looks like any other word.
 */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

/**
 * A {@link Logger} that passes every line to `target` with {@link redactSecrets} applied to the
 * message, to each string field and to errors: an error whose message, stack or causes quote a
 * secret is rebuilt as a new `Error` with them masked (the original may hold a request with its
 * headers); a clean one is passed as it is. Nested objects other than errors are passed as they
 * are. Server packages wrap the logger they are given in it.
 */
export function redactingLogger(target: Logger): Logger {
  const method =
    (level: LogLevel): LogMethod =>
    (fieldsOrMessage: object | string, message?: string) => {
      if (typeof fieldsOrMessage === 'string') return target[level](redactSecrets(fieldsOrMessage));
      const fields =
        fieldsOrMessage instanceof Error
          ? { err: redactError(fieldsOrMessage) }
          : redactFields(fieldsOrMessage);
      if (message === undefined) target[level](fields);
      else target[level](fields, redactSecrets(message));
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

function redactFields(fields: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      typeof value === 'string' ? redactSecrets(value) : value instanceof Error ? redactError(value) : value;
  }
  return out;
}

const MAX_CAUSES = 5;

/** `error` itself when nothing in it looks like a secret; else a rebuilt copy with the secrets masked. */
function redactError(error: Error, depth = 0): Error {
  const message = redactSecrets(error.message);
  const stack = error.stack === undefined ? undefined : redactSecrets(error.stack);
  const cause =
    error.cause instanceof Error && depth < MAX_CAUSES
      ? redactError(error.cause, depth + 1)
      : typeof error.cause === 'string'
        ? redactSecrets(error.cause)
        : error.cause;
  if (message === error.message && stack === error.stack && cause === error.cause) return error;
  const copy = new Error(message);
  copy.name = error.name;
  copy.stack = stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  // A cause that is neither an error nor text (a response, a request) is dropped: it may hold headers.
  if (cause instanceof Error || typeof cause === 'string') copy.cause = cause;
  return copy;
}
