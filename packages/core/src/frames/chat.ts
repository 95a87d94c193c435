import { z } from 'zod';

/** A call the model asked for. `arguments` is the raw JSON text the model produced. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/**
 * One entry of the conversation history, in the shape every chat LLM accepts.
 * An assistant message cut by barge-in keeps only the words the user heard and says so with
 * `interrupted: true`.
 */
export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content: string;
      readonly interrupted?: boolean;
      readonly toolCalls?: readonly ToolCall[];
    }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly content: string };

/**
 * A {@link ChatMessage} as a zod schema: for history that crosses a process boundary (a
 * microservice LLM, a saved session) and must be checked on the way in.
 */
export const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    /** The reply was cut by barge-in; `content` holds only what the user heard. */
    interrupted: z.boolean().optional(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), name: z.string(), content: z.string() }),
]) satisfies z.ZodType<ChatMessage>;
