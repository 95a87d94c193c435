export type { ConnectionRecord } from './connection-record';
export { AzureSpeechEmulator, type AzureSpeechEmulatorOptions } from './emulator';
export type {
  CloseFault,
  EmulatorFault,
  PhraseErrorFault,
  RejectUpgradeFault,
  SlowFault,
  StallFault,
} from './faults';
export { binaryFrame, parseFrame, textFrame, ticksFromMs, type WireMessage } from './framing';
export type { RecognitionBehaviour } from './recognition-session';
export { parseSsml, type SsmlRequest } from './ssml';
export type { SynthesisBehaviour } from './synthesis-session';
export {
  MAX_UTTERANCE_ID,
  UtteranceDetector,
  type UtteranceDetectorOptions,
  type UtteranceEvent,
  utteranceAudio,
  VOICED_LEVEL,
} from './utterance';
