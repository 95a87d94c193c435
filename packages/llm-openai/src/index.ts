export { toProviderError as toOpenAiProviderError } from './errors';
export { openAiLlmFactory } from './factory';
export { toOpenAiMessages, toOpenAiTools } from './messages';
export { OpenAiLlm } from './openai-llm';
export { type OpenAiLlmOptions, openAiLlmOptionsSchema } from './options';
