/**
 * The reliability suite's toolkit: a whole voice server with fault-injecting providers, clients
 * that speak through in-band audio, and the counters that prove a run left nothing open.
 */
export { CountingScheduler } from './counting-scheduler';
export {
  FAULT_KINDS,
  type FaultKind,
  FaultTally,
  type FaultTarget,
  faultIn,
  faultWord,
  isEndless,
} from './faults';
export { FaultyLlm, type FaultyLlmOptions } from './faulty-llm';
export { FaultyTts, type FaultyTtsOptions } from './faulty-tts';
export {
  type InBandCommand,
  inBandFrame,
  readInBand,
  SPEECH_MARKER,
  utteranceFrames,
} from './in-band-speech';
export { InBandStt, type InBandSttOptions } from './in-band-stt';
export { ProcessWatch } from './process-watch';
export {
  type FlapTarget,
  type OpenHandles,
  type ReliabilityServer,
  type ReliabilityServerOptions,
  type ReliabilitySessionConfig,
  startReliabilityServer,
  totalOpen,
} from './reliability-server';
export { SessionLedger } from './session-ledger';
export { SimulatedUser, type SimulatedUserOptions, type TurnOutcome } from './simulated-user';
export { linearSlope, type Sample } from './soak/linear-trend';
export { SeededRandom } from './soak/random';
export { type HeapSample, runSoak, type SoakOptions, type SoakReport } from './soak/run-soak';
export type { SoakUserCounters } from './soak/soak-user';
export { tracked } from './tracked';
