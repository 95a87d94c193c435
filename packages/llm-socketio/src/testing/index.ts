/**
 * A reference AI service for tests and as a template for a real one. Import from
 * `@voxduplex/llm-socketio/testing`; it needs the `socket.io` server package installed.
 */
export {
  type ReferenceAiService,
  type ReferenceAiServiceOptions,
  type ReferenceReply,
  type ReferenceStep,
  startReferenceAiService,
} from './reference-ai-service';
