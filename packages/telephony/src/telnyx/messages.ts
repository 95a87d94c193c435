import { DTMF_DIGITS } from '@voxduplex/core';
import { z } from 'zod';

/**
 * Telnyx media streaming messages, as the "Stream call media over WebSocket" reference
 * (AsyncAPI) documents them. Telnyx sends `sequence_number`, `chunk` and `timestamp` as strings
 * and puts `stream_id` on the envelope; unknown extra fields are allowed (Telnyx adds fields).
 */

const numberText = z.string().regex(/^\d+$/);
const sequence_number = numberText.optional();
const stream_id = z.string().min(1).max(128).optional();
const id = z.string().min(1).max(256);

export const telnyxConnectedSchema = z.object({
  event: z.literal('connected'),
  version: z.string().max(32).optional(),
});

export const telnyxStartSchema = z.object({
  event: z.literal('start'),
  sequence_number,
  stream_id: id,
  start: z.object({
    user_id: id.optional(),
    call_control_id: id,
    call_session_id: id.optional(),
    from: z.string().max(256).optional(),
    to: z.string().max(256).optional(),
    tags: z.array(z.string().max(256)).max(32).optional(),
    client_state: z.string().max(4096).nullable().optional(),
    custom_parameters: z.record(z.string().max(256), z.string().max(4096)).optional(),
    media_format: z.object({
      encoding: z.string().max(32),
      sample_rate: z.number(),
      channels: z.number(),
    }),
  }),
});

export const telnyxMediaSchema = z.object({
  event: z.literal('media'),
  sequence_number,
  stream_id,
  media: z.object({
    track: z.string().max(32).optional(),
    chunk: numberText.optional(),
    timestamp: numberText.optional(),
    payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  }),
});

export const telnyxDtmfSchema = z.object({
  event: z.literal('dtmf'),
  sequence_number,
  stream_id,
  occurred_at: z.string().max(64).optional(),
  dtmf: z.object({ digit: z.enum(DTMF_DIGITS) }),
});

export const telnyxMarkSchema = z.object({
  event: z.literal('mark'),
  sequence_number,
  stream_id,
  mark: z.object({ name: z.string().min(1).max(256) }),
});

export const telnyxStopSchema = z.object({
  event: z.literal('stop'),
  sequence_number,
  stream_id,
  stop: z.object({ user_id: id.optional(), call_control_id: id.optional() }).optional(),
});

export const telnyxErrorSchema = z.object({
  event: z.literal('error'),
  sequence_number,
  stream_id,
  payload: z.object({
    code: z.union([z.number(), z.string().max(32)]),
    title: z.string().max(256).optional(),
    detail: z.string().max(1024).optional(),
  }),
});

/** Every message Telnyx sends on a (bidirectional) media stream. */
export const telnyxInboundSchema = z.discriminatedUnion('event', [
  telnyxConnectedSchema,
  telnyxStartSchema,
  telnyxMediaSchema,
  telnyxDtmfSchema,
  telnyxMarkSchema,
  telnyxStopSchema,
  telnyxErrorSchema,
]);

/** One validated message from Telnyx on a media stream. */
export type TelnyxInboundMessage = z.infer<typeof telnyxInboundSchema>;

/** Messages the server sends Telnyx (bidirectional `rtp` mode). */
export type TelnyxOutboundMessage =
  | { readonly event: 'media'; readonly media: { readonly payload: string } }
  | { readonly event: 'mark'; readonly mark: { readonly name: string } }
  | { readonly event: 'clear' };
