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
