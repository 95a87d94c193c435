import { DTMF_DIGITS } from '@voxduplex/core';
import { z } from 'zod';

/**
 * Twilio Media Streams messages, as the "Media Streams – WebSocket Messages" reference
 * documents them. Twilio sends numbers such as `sequenceNumber`, `chunk` and `timestamp` as
 * strings; unknown extra fields are allowed (Twilio adds fields over time).
 */

const sequenceNumber = z.string().regex(/^\d+$/).optional();
const sid = z.string().min(1).max(64);

export const twilioConnectedSchema = z.object({
  event: z.literal('connected'),
  protocol: z.string().max(64).optional(),
  version: z.string().max(32).optional(),
});

export const twilioStartSchema = z.object({
  event: z.literal('start'),
  sequenceNumber,
  streamSid: sid.optional(),
  start: z.object({
    streamSid: sid,
    accountSid: sid.optional(),
    callSid: sid,
    tracks: z.array(z.string().max(32)).max(4).optional(),
    customParameters: z.record(z.string().max(256), z.string().max(4096)).optional(),
    mediaFormat: z.object({
      encoding: z.string().max(64),
      sampleRate: z.number(),
      channels: z.number(),
    }),
  }),
});

export const twilioMediaSchema = z.object({
  event: z.literal('media'),
  sequenceNumber,
  streamSid: sid.optional(),
  media: z.object({
    track: z.string().max(32).optional(),
    chunk: z.string().regex(/^\d+$/).optional(),
    timestamp: z.string().regex(/^\d+$/).optional(),
    payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  }),
});

export const twilioDtmfSchema = z.object({
  event: z.literal('dtmf'),
  sequenceNumber,
  streamSid: sid.optional(),
  dtmf: z.object({ track: z.string().max(32).optional(), digit: z.enum(DTMF_DIGITS) }),
});

export const twilioMarkSchema = z.object({
  event: z.literal('mark'),
  sequenceNumber,
  streamSid: sid.optional(),
  mark: z.object({ name: z.string().min(1).max(256) }),
});

export const twilioStopSchema = z.object({
  event: z.literal('stop'),
  sequenceNumber,
  streamSid: sid.optional(),
  stop: z.object({ accountSid: sid.optional(), callSid: sid.optional() }).optional(),
});

/** Every message Twilio sends on a bidirectional stream. */
export const twilioInboundSchema = z.discriminatedUnion('event', [
  twilioConnectedSchema,
  twilioStartSchema,
  twilioMediaSchema,
  twilioDtmfSchema,
  twilioMarkSchema,
  twilioStopSchema,
]);

export type TwilioInboundMessage = z.infer<typeof twilioInboundSchema>;

/** Messages the server sends Twilio (bidirectional streams only). */
export type TwilioOutboundMessage =
  | { readonly event: 'media'; readonly streamSid: string; readonly media: { readonly payload: string } }
  | { readonly event: 'mark'; readonly streamSid: string; readonly mark: { readonly name: string } }
  | { readonly event: 'clear'; readonly streamSid: string };

/** The one audio format of Twilio Media Streams. */
export const TWILIO_MEDIA_FORMAT = { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } as const;
