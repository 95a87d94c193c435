export type { Sentence, SpeechAudio, Token, WordTiming } from './agent';
export {
  type AudioFrame,
  audioFrameDurationMs,
  bytesFromInt16,
  int16FromBytes,
  pcmDurationMs,
} from './audio';
export { type ChatMessage, chatMessageSchema, type ToolCall } from './chat';
export { DTMF_DIGITS, type DtmfDigit, isDtmfDigit } from './dtmf';
export type { RequestOrigin, SpeechRef } from './identity';
export type { InterruptSource, PlaybackControl } from './playback-control';
export type { SttEvent, Transcript, VadEvent } from './transcript';
