import type { z } from 'zod';
import { type StreamProblem, streamProblem } from './media-stream';

/**
 * The steps every serializer takes before its own: JSON, a known `event`, the carrier's schema.
 * Returns the validated message, or why it was refused. Never throws.
 */
export function parseJsonMessage<T>(
  text: string,
  knownEvents: ReadonlySet<string>,
  schema: z.ZodType<T>,
): { readonly message: T } | StreamProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return streamProblem('malformed', 'not JSON');
  }
  const event = (json as { event?: unknown } | null)?.event;
  if (typeof event !== 'string' || !knownEvents.has(event))
    return streamProblem(
      'unknown_event',
      `unknown event ${JSON.stringify(event)?.slice(0, 40) ?? 'undefined'}`,
    );
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return streamProblem('malformed', `invalid ${event}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { message: parsed.data };
}
