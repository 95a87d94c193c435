/**
 * Test doubles for every provider contract, driven by virtual time (pass a `TestScheduler`), and
 * `virtualConversation`, a whole call on them in virtual time for testing sessions and pipeline
 * stages. Import from `@voxduplex/core/testing`; never ship them in production code paths.
 */

export { AcousticEcho, type AcousticEchoOptions } from './acoustic-echo';
export { FakeLlm, type FakeLlmOptions, type LlmReply, type LlmScriptStep, tokenize } from './fake-llm';
export { FakeStt, type FakeSttOptions } from './fake-stt';
export { FakeTts, type FakeTtsOptions } from './fake-tts';
export { FakeVad, type FakeVadOptions } from './fake-vad';
export {
  type MicrophoneFramesOptions,
  microphoneFrames,
  type StreamMicrophoneOptions,
  streamMicrophone,
} from './microphone';
export { type LogLine, recordingLogger } from './recording-logger';
export { ResourceCounter } from './resource-counter';
export { runVirtualTime } from './run-virtual-time';
export type { ScriptedUtterance } from './script';
export { decibels, rms, sine, toneAmplitude, windowedToneAmplitude } from './signals';
export { silence, sineTone } from './tone';
export {
  type RecordedSessionEvent,
  type VirtualConversation,
  type VirtualConversationOptions,
  virtualConversation,
} from './virtual-conversation';
