import { chatMessageSchema } from '@voxduplex/core';
import { z } from 'zod';

/**
 * Event names of the AI-service contract, version 1. The client emits `request` and `abort`;
 * the service answers a request with any number of `token` and `toolCall` events, then exactly
 * one `done` or `error`. Every payload carries the `requestId` the client chose, so one
 * connection carries the requests of many sessions at once.
 */
export const AI_SERVICE_EVENTS = {
  request: 'chat:request',
  abort: 'chat:abort',
  token: 'chat:token',
  toolCall: 'chat:tool-call',
  done: 'chat:done',
  error: 'chat:error',
} as const;

const requestId = z.string().min(1).max(128);

/** One history entry: core's `ChatMessage` schema, re-exported where this protocol always had it. */
export { chatMessageSchema };

/** A tool the model may call; `parameters` is a JSON Schema. */
export const toolDefinitionSchema = z.object({
  name: z.string().min(1),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});

/** `chat:request` (client → service): answer this conversation. */
export const chatRequestSchema = z.object({
  requestId,
  /** The voice session the turn belongs to, when the client was given one. */
  sessionId: z.string().optional(),
  /** The whole conversation, system prompt first; the last message is usually the user turn. */
  messages: z.array(chatMessageSchema).min(1),
  tools: z.array(toolDefinitionSchema).optional(),
  temperature: z.number().optional(),
});

/** `chat:abort` (client → service): stop generating; send nothing more for this request. */
export const chatAbortSchema = z.object({ requestId });

/** `chat:token` (service → client): the next piece of text, in order. */
export const chatTokenSchema = z.object({ requestId, text: z.string() });

/** `chat:tool-call` (service → client): a whole tool call; `arguments` is JSON text. */
export const chatToolCallSchema = z.object({
  requestId,
  call: z.object({ id: z.string().min(1), name: z.string().min(1), arguments: z.string() }),
});

/** `chat:done` (service → client): the reply is complete. */
export const chatDoneSchema = z.object({
  requestId,
  /** Default `stop` (or `tool-calls` when tool calls were sent). */
  finishReason: z.enum(['stop', 'length', 'tool-calls', 'content-filter', 'other']).optional(),
});

/** `chat:error` (service → client): the request failed; nothing more follows for it. */
export const chatErrorSchema = z.object({
  requestId,
  error: z.object({
    /** A voxduplex error code (`provider_quota`, `provider_auth`, …); others map to unavailable. */
    code: z.string(),
    message: z.string(),
    retryable: z.boolean().optional(),
    retryAfterMs: z.number().nonnegative().optional(),
  }),
});

/** Payload of `chat:request`. */
export type ChatRequestPayload = z.infer<typeof chatRequestSchema>;
/** Payload of `chat:abort`. */
export type ChatAbortPayload = z.infer<typeof chatAbortSchema>;
/** Payload of `chat:token`. */
export type ChatTokenPayload = z.infer<typeof chatTokenSchema>;
/** Payload of `chat:tool-call`. */
export type ChatToolCallPayload = z.infer<typeof chatToolCallSchema>;
/** Payload of `chat:done`. */
export type ChatDonePayload = z.infer<typeof chatDoneSchema>;
/** Payload of `chat:error`. */
export type ChatErrorPayload = z.infer<typeof chatErrorSchema>;

/** What the service sends for one request, after validation, tagged by event. */
export type ServiceReply =
  | ({ readonly type: 'token' } & ChatTokenPayload)
  | ({ readonly type: 'tool-call' } & ChatToolCallPayload)
  | ({ readonly type: 'done' } & ChatDonePayload)
  | ({ readonly type: 'error' } & ChatErrorPayload);
