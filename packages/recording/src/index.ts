export { CallRecorder, type CallRecorderOptions } from './call-recorder';
export { type CallTimelineOptions, formatCallTimeline } from './call-timeline';
export type {
  CallTranscript,
  RecordedControl,
  RecordedSpan,
  RecordedSpeech,
  RecordedToolCall,
  RecordedTurn,
  RecordedUtterance,
  RecordedWord,
} from './call-transcript';
export {
  type FileRecordingSinkOptions,
  type FinishedRecording,
  fileRecordingSink,
  type RecordingSink,
} from './recording-sink';
export { WAV_HEADER_BYTES, type WavFormat, wavHeader } from './wav-header';
