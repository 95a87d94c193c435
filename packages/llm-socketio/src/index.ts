export { AiServiceConnection, type AiServiceRequestHandlers } from './ai-service-connection';
export { type AiServiceConnectionOptions, aiServiceConnectionOptionsSchema } from './connection-options';
export { serviceErrorToVoxError } from './errors';
export {
  closeSharedAiServiceConnections,
  type SocketIoLlmFactoryOptions,
  sharedAiServiceConnection,
  socketIoLlmFactory,
  socketIoLlmFactoryOptionsSchema,
} from './factory';
export {
  AI_SERVICE_EVENTS,
  type ChatAbortPayload,
  type ChatDonePayload,
  type ChatErrorPayload,
  type ChatRequestPayload,
  type ChatTokenPayload,
  type ChatToolCallPayload,
  chatAbortSchema,
  chatDoneSchema,
  chatErrorSchema,
  chatMessageSchema,
  chatRequestSchema,
  chatTokenSchema,
  chatToolCallSchema,
  type ServiceReply,
  toolDefinitionSchema,
} from './protocol';
export { SocketIoLlm, type SocketIoLlmOptions } from './socketio-llm';
