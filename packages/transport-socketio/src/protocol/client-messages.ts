import { z } from 'zod';

const speechId = z.string().min(1).max(128);

/** Handshake `auth` fields the transport reads. App fields (a bearer token…) pass through untouched. */
export const handshakeAuthSchema = z.looseObject({
  protocol: z.number().int().positive().optional(),
  /** Token from an earlier `ready`, to re-attach to that session. */
  resumeToken: z.string().min(1).max(256).optional(),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** `start`: open the microphone lane. Idempotent when the rate is unchanged. */
export const startMessageSchema = z.object({
  /** Samples per second of every following `audio` frame. */
  sampleRate: z.number().int().positive(),
  channels: z.literal(1).default(1),
});
export type StartMessage = z.input<typeof startMessageSchema>;

/** `stop` and `interrupt` carry nothing; an empty object or no argument is accepted. */
export const emptyMessageSchema = z.object({}).optional();

/** `text`: a typed user message, handled as a finished user turn. */
export const textMessageSchema = z.object({ text: z.string().trim().min(1).max(4000) });
export type TextMessage = z.infer<typeof textMessageSchema>;

/** `playback-ack`: how much of a speech the client's player has played, ms. */
export const playbackAckMessageSchema = z.object({
  speechId,
  playedMs: z.number().finite().nonnegative(),
});
export type PlaybackAckMessage = z.infer<typeof playbackAckMessageSchema>;

/** `playback-started` (first sample played) and `playback-finished`. */
export const playbackMarkMessageSchema = z.object({ speechId });
export type PlaybackMarkMessage = z.infer<typeof playbackMarkMessageSchema>;
