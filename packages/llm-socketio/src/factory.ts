import type { ProviderFactory } from '@voxduplex/core';
import { z } from 'zod';
import { AiServiceConnection } from './ai-service-connection';
import { type AiServiceConnectionOptions, aiServiceConnectionOptionsSchema } from './connection-options';
import { SocketIoLlm } from './socketio-llm';

/** Registry options: where the service is, plus the per-provider settings of {@link SocketIoLlm}. */
export interface SocketIoLlmFactoryOptions extends AiServiceConnectionOptions {
  readonly sessionId?: string;
  readonly firstTokenTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

/** Zod schema of {@link SocketIoLlmFactoryOptions}; unknown keys are a `ConfigError`. */
export const socketIoLlmFactoryOptionsSchema = aiServiceConnectionOptionsSchema.extend({
  sessionId: z.string().optional(),
  firstTokenTimeoutMs: z.number().int().positive().optional(),
  idleTimeoutMs: z.number().int().positive().optional(),
}) satisfies z.ZodType<SocketIoLlmFactoryOptions>;

const shared = new Map<string, AiServiceConnection>();

/**
 * The process-wide connection for these options: every provider the registry builds for the
 * same service shares one socket. Close them all with {@link closeSharedAiServiceConnections}.
 */
export function sharedAiServiceConnection(options: AiServiceConnectionOptions = {}): AiServiceConnection {
  const key = JSON.stringify({ ...options, url: options.url ?? globalThis.process?.env?.AI_CHAT_BASE_URL });
  let connection = shared.get(key);
  if (!connection) {
    connection = new AiServiceConnection(options);
    shared.set(key, connection);
  }
  return connection;
}

/** Closes every connection made by {@link sharedAiServiceConnection} (call on shutdown). */
export function closeSharedAiServiceConnections(): void {
  for (const connection of shared.values()) connection.close();
  shared.clear();
}

/**
 * Registry factory: `registry.register('llm', 'socketio', socketIoLlmFactory)`, then
 * `registry.create('llm', { provider: 'socketio', sessionId })` (URL from `AI_CHAT_BASE_URL`).
 * Providers built for the same service share one connection.
 */
export const socketIoLlmFactory: ProviderFactory<'llm', SocketIoLlmFactoryOptions> = {
  options: socketIoLlmFactoryOptionsSchema,
  create: ({ sessionId, firstTokenTimeoutMs, idleTimeoutMs, ...connectionOptions }) =>
    new SocketIoLlm({
      connection: sharedAiServiceConnection(connectionOptions),
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(firstTokenTimeoutMs === undefined ? {} : { firstTokenTimeoutMs }),
      ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    }),
};
