import type { VoxError } from '../errors/vox-error';
import { describeCauses } from './describe-causes';

/**
 * How a {@link VoxError} goes into a log line: its code, source, retryable flag and the messages
 * of its causes as fields, `<code> from <source>: <message>` as the text, and the level — warn
 * for a retryable failure (a quota, an outage: it usually heals), error for one that needs someone.
 */
export function voxErrorLogLine(error: VoxError): {
  readonly level: 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly text: string;
} {
  return {
    level: error.retryable ? 'warn' : 'error',
    fields: {
      code: error.code,
      source: error.source,
      retryable: error.retryable,
      ...(error.cause === undefined ? {} : { cause: describeCauses(error.cause) }),
    },
    text: `${error.code} from ${error.source ?? 'unknown source'}: ${error.message}`,
  };
}
