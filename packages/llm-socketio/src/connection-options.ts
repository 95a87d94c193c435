import { z } from 'zod';

/** How to reach the AI service. */
export interface AiServiceConnectionOptions {
  /**
   * Service URL, with the Socket.IO namespace as its path if not `/`
   * (`http://ai-chat:4000/voice`). Defaults to the `AI_CHAT_BASE_URL` variable.
   */
  readonly url?: string;
  /** Engine.IO path. Default `/socket.io`. */
  readonly path?: string;
  /** Socket.IO handshake `auth` payload, e.g. `{ token }`; the service checks it on connect. */
  readonly auth?: Readonly<Record<string, unknown>>;
  /** Extra HTTP headers of the handshake (Node only). */
  readonly headers?: Readonly<Record<string, string>>;
  /** First reconnection delay in ms; doubles up to `reconnectionDelayMaxMs`. Default 500. */
  readonly reconnectionDelayMs?: number;
  /** Longest reconnection delay in ms. Default 5 000. */
  readonly reconnectionDelayMaxMs?: number;
  /** Give up connecting (and fail waiting requests) after this many ms. Default 5 000. */
  readonly connectTimeoutMs?: number;
}

/** Zod schema of {@link AiServiceConnectionOptions}. */
export const aiServiceConnectionOptionsSchema = z.strictObject({
  url: z.url().optional(),
  path: z.string().startsWith('/').optional(),
  auth: z.record(z.string(), z.unknown()).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  reconnectionDelayMs: z.number().int().positive().optional(),
  reconnectionDelayMaxMs: z.number().int().positive().optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
}) satisfies z.ZodType<AiServiceConnectionOptions>;
