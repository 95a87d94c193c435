import {
  type VirtualConversation,
  type VirtualConversationOptions,
  virtualConversation,
} from '@voxduplex/core/testing';

/**
 * The call the tracing and recording tests share: core's `virtualConversation` with an LLM that
 * replies "Sure. It is sunny today." unless told otherwise (their span and journal figures are
 * counted on that reply). Nothing runs until `run()`, so an observer can attach to `session` first.
 */
export function virtualCall(options: VirtualConversationOptions = {}): VirtualConversation {
  return virtualConversation({ ...options, llm: { reply: 'Sure. It is sunny today.', ...options.llm } });
}
