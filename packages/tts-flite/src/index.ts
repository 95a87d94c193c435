export { FliteTts, type FliteTtsOptions } from './flite-tts';
export { type FliteTtsFactoryOptions, fliteTtsFactory } from './flite-tts-factory';
export type { WorkerAccounting } from './synthesis-worker-pool';
export { DEFAULT_FLITE_VOICE, FLITE_VOICES, type FliteVoice, SPEAKING_RATE_RANGE } from './voices';
export { synthesisWorkerLocation, type WorkerLocation } from './worker-location';
