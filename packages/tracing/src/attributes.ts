/**
 * Attribute and event names on voxduplex spans. LLM and tool spans follow the OpenTelemetry
 * GenAI semantic conventions (`gen_ai.*`); the rest are ours, under `voxduplex.*`.
 */
export const ATTR = {
  sessionId: 'voxduplex.session.id',
  turnId: 'voxduplex.turn.id',
  speechId: 'voxduplex.speech.id',
  /** True on a turn that was never answered: an early reply thrown away, a bare stop phrase. */
  turnUnanswered: 'voxduplex.turn.unanswered',
  userText: 'voxduplex.user.text',
  interrupted: 'voxduplex.speech.interrupted',
  heardChars: 'voxduplex.speech.heard_chars',
  textChars: 'voxduplex.speech.text_chars',
  playedMs: 'voxduplex.speech.played_ms',
  heardText: 'voxduplex.speech.heard_text',
  recognitionFinals: 'voxduplex.recognition.finals',
  recognitionText: 'voxduplex.recognition.text',
  ttsProvider: 'voxduplex.tts.provider',
  ttsVoice: 'voxduplex.tts.voice',
  ttsTextChars: 'voxduplex.tts.text_chars',
  ttsText: 'voxduplex.tts.text',
  ttsAudioMs: 'voxduplex.tts.audio_ms',
  cancelled: 'voxduplex.cancelled',
  errorCode: 'voxduplex.error.code',
  genAiSystem: 'gen_ai.system',
  genAiOperation: 'gen_ai.operation.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiTemperature: 'gen_ai.request.temperature',
  genAiInputTokens: 'gen_ai.usage.input_tokens',
  genAiOutputTokens: 'gen_ai.usage.output_tokens',
  genAiFinishReasons: 'gen_ai.response.finish_reasons',
  genAiInputMessages: 'gen_ai.input.messages',
  genAiOutputText: 'gen_ai.output.text',
  genAiToolName: 'gen_ai.tool.name',
  genAiToolCallId: 'gen_ai.tool.call.id',
  genAiToolArguments: 'gen_ai.tool.call.arguments',
  genAiToolResult: 'gen_ai.tool.call.result',
} as const;

/** Span event names. */
export const EVENT = {
  firstToken: 'gen_ai.first_token',
  firstChunk: 'voxduplex.tts.first_chunk',
  bargeInPause: 'voxduplex.barge_in.pause',
  bargeInResume: 'voxduplex.barge_in.resume',
  bargeInCommit: 'voxduplex.barge_in.commit',
  recognitionLost: 'voxduplex.recognition.lost',
  providerSwitched: 'voxduplex.provider.switched',
  providerRecovered: 'voxduplex.provider.recovered',
  error: 'voxduplex.error',
} as const;

const metricAttributes = new Map<string, string>();

/** `llmTtftMs` → `voxduplex.turn.llm_ttft_ms`: where each {@link TurnMetrics} field goes on a turn span. */
export function metricAttribute(field: string): string {
  let name = metricAttributes.get(field);
  if (name === undefined) {
    name = `voxduplex.turn.${field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}`;
    // The fields are TurnMetrics' keys: a handful, named once each.
    if (metricAttributes.size < 256) metricAttributes.set(field, name);
  }
  return name;
}
