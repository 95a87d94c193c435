import { ConfigError } from '@voxduplex/core';
import { z } from 'zod';
import { MIC_FRAME_HEADER_BYTES } from '../protocol/mic-frame';
import { voiceParser } from './voice-parser';

export const transportLimitsSchema = z.object({
  /** Largest binary `audio` frame, header included, bytes. Default: 100 ms at 48 kHz. */
  maxFrameBytes: z
    .number()
    .int()
    .positive()
    .default(MIC_FRAME_HEADER_BYTES + 9600),
  /** Sustained inbound messages per second per socket (20 ms frames are 50/s). */
  maxMessagesPerSecond: z.number().positive().default(100),
  /** Messages a socket may send in a burst above the sustained rate. */
  messageBurst: z.number().int().positive().default(100),
  /** Microphone audio held while a session is being created or resumed, ms; more is dropped. */
  maxBufferedInputMs: z.number().nonnegative().default(2000),
  /** Agent audio sent and not yet acked by the client, ms. Beyond it, audio waits in the queue. */
  outboundWindowMs: z.number().positive().default(2000),
  /** Agent audio waiting to be sent per socket, ms. Beyond it, the rest of the speech is dropped. */
  maxOutboundQueueMs: z.number().nonnegative().default(10_000),
  /** Recommended `maxHttpBufferSize` for the Socket.IO server (see {@link voiceServerOptions}). */
  maxHttpBufferSize: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});

/** Per-socket bounds. Every field has a default; see the README's options table. */
export type TransportLimits = z.input<typeof transportLimitsSchema>;
export type ResolvedTransportLimits = z.output<typeof transportLimitsSchema>;

/** Fills in defaults and validates, collecting every problem into one {@link ConfigError}. */
export function resolveTransportLimits(limits: TransportLimits = {}): ResolvedTransportLimits {
  const parsed = transportLimitsSchema.safeParse(limits);
  if (!parsed.success)
    throw new ConfigError(
      'Invalid transport limits',
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  if (parsed.data.maxFrameBytes > parsed.data.maxHttpBufferSize)
    throw new ConfigError('Invalid transport limits', ['maxFrameBytes: must not exceed maxHttpBufferSize']);
  return parsed.data;
}

/**
 * Socket.IO server options for a voice server: spread them into `new Server(http, {...})` or a
 * NestJS `@WebSocketGateway({...})`. `maxHttpBufferSize` makes Socket.IO close a connection
 * that sends one message larger than that (default 1 MB otherwise); frames between
 * `maxFrameBytes` and it get a typed `frame_too_large` error instead. `parser` is
 * {@link voiceParser}: Socket.IO's own, plus compact audio messages (one WebSocket message per
 * mic frame instead of two); clients that never send them are served exactly as before.
 */
export function voiceServerOptions(limits: TransportLimits = {}): {
  maxHttpBufferSize: number;
  parser: typeof voiceParser;
} {
  return { maxHttpBufferSize: resolveTransportLimits(limits).maxHttpBufferSize, parser: voiceParser };
}
