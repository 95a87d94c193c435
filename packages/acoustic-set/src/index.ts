export {
  type BuildOptions,
  type BuildReport,
  buildAcousticSet,
  type ClipMeta,
  defaultSetDir,
  LEAD_MS,
  SET_VERSION,
  type SetManifest,
  TAIL_MS,
} from './build-set';
export {
  BABBLE_TEXT,
  BABBLE_VOICES,
  BACKCHANNEL_VOICES,
  BACKCHANNELS,
  type ClipKind,
  type ExpectedIntent,
  HUM_VOICES,
  INTERRUPTIONS,
  NOISE_CONDITIONS,
  type NoiseCondition,
  type NoiseKind,
  QUESTIONS,
  STOP_PHRASES,
  USER_VOICES,
  type Utterance,
} from './catalog';
export { type ClipPlan, planClips } from './clip-plan';
export { attenuate, delay, type EchoPathOptions, echoOf, sum } from './echo-path';
export { type BiquadOptions, type BiquadType, bandPass, biquad } from './filter';
export {
  type AcousticClip,
  type AcousticSet,
  type ClipFilter,
  ensureAcousticSet,
  loadAcousticSet,
  selectClips,
} from './load-set';
export { type MixOptions, measureSnr, mixAtSnr } from './mix';
export { babble, type HumOptions, mainsHum, type NoiseOptions, pinkNoise, whiteNoise } from './noise';
export { seededRandom, seedOf } from './random';
export {
  activeRms,
  concat,
  durationMs,
  levelDb,
  rms,
  SAMPLE_RATE,
  type Samples,
  silence,
  toFloat,
  toInt16,
} from './samples';
export { type FliteVoiceName, synthesizeSpeech, toolVersions, type VoiceId } from './synthesize';
export { readWav, writeWav } from './wav';
