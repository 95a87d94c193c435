export { type CallJournalEntry, readCallJournal } from './call-journal';
export { CallRecorder, type CallRecorderOptions } from './call-recorder';
export { type CallTimelineOptions, formatCallTimeline } from './call-timeline';
export type {
  CallTranscript,
  RecordedControl,
  RecordedProviderChange,
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
export { type RepairedWav, repairWav } from './repair-wav';
export { WAV_HEADER_BYTES, type WavFormat, wavHeader } from './wav-header';
