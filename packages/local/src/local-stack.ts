import { DEFAULT_BACKCHANNELS, DEFAULT_STOP_PHRASES, type VoiceSessionConfig } from '@voxduplex/core';
import { DemoBrain, type DemoBrainOptions } from '@voxduplex/demo-brain';
import { suppressNoise } from '@voxduplex/noise-suppression';
import { loadNodeRnnoise } from '@voxduplex/noise-suppression/node';
import { PocketsphinxStt, type PocketsphinxSttOptions } from '@voxduplex/stt-pocketsphinx';
import { FliteTts, type FliteVoice } from '@voxduplex/tts-flite';
import { SileroVad, type SileroVadOptions } from '@voxduplex/vad-silero';

/** Options of {@link createLocalStack}. */
export interface LocalStackOptions {
  /**
   * Silero VAD settings for the recognizer's endpointing, or `false` to let PocketSphinx's own
   * energy detector cut utterances. Default `{ minSilenceMs: 300, pauseMs: 120 }`: the turn may
   * end after 300 ms of silence (+ the session's 100 ms endpoint delay); the reply starts, held
   * back, after 120 ms. Silero's probability falls ≈ 90 ms after the voice, so that is ≈ 210 ms
   * of real silence. Keep `pauseMs` below `minSilenceMs`.
   */
  readonly vad?: SileroVadOptions | false;
  /**
   * Start the reply at a pause in the user's voice, on the words so far, and release it when the
   * turn is confirmed (`preemptiveGeneration`). Default `true`; needs the VAD's `pauseMs`.
   */
  readonly isPreemptive?: boolean;
  /**
   * Extra PocketSphinx options (model paths, library paths…). By default short utterances are
   * read a second time among core's English stop phrases and backchannels (`phraseReading`), so
   * that a short "stop" or "wait" the open language model misses still stops the agent.
   */
  readonly stt?: Omit<PocketsphinxSttOptions, 'vad'>;
  /** The agent's voice; default `slt`. */
  readonly voice?: FliteVoice;
  readonly brain?: DemoBrainOptions;
  /** Warm Flite workers; default 1. */
  readonly ttsPoolSize?: number;
  /**
   * RNNoise on the microphone before PocketSphinx and Silero (an `audioIn` stage). Default
   * `false`: measured on the acoustic set (`bench/results/noise.json`) it wins back 60 % of what
   * 10 dB of pink noise costs recognition, but nothing under babble or hum, never helps Silero, and
   * adds 13 ms of delay; turn it on where the background is a fan, hiss or traffic.
   */
  readonly noiseSuppression?: boolean;
}

/** The providers of a fully local voice agent, and how to release them. */
export interface LocalStack {
  readonly stt: PocketsphinxStt;
  readonly llm: DemoBrain;
  readonly tts: FliteTts;
  /** The providers and turn-taking settings for `createVoiceSession`. */
  readonly sessionConfig: Pick<
    VoiceSessionConfig,
    'stt' | 'llm' | 'tts' | 'turnDetection' | 'preemptiveGeneration' | 'pipeline'
  >;
  /** Starts the Flite workers so the first reply does not pay their start-up. */
  warmUp(): Promise<void>;
  /**
   * Stops the Flite worker threads. Close the sessions first: they hold the recognizer's
   * decoders and VAD streams, which are freed when a session closes.
   */
  close(): Promise<void>;
}

/**
 * PocketSphinx (endpointed by Silero VAD) → demo brain → Flite `slt`: a voice agent that needs
 * no network and no key. Each session opened on it loads its own decoder (≈ 0.5–2 s). Replies
 * start preemptively at a short pause (`pauseMs` 120) and are heard once the turn is confirmed.
 */
export function createLocalStack(options: LocalStackOptions = {}): LocalStack {
  const vad =
    options.vad === false ? undefined : new SileroVad({ minSilenceMs: 300, pauseMs: 120, ...options.vad });
  const stt = new PocketsphinxStt({
    phraseReading: { phrases: [...DEFAULT_STOP_PHRASES, ...DEFAULT_BACKCHANNELS] },
    ...options.stt,
    ...(vad ? { vad } : {}),
  });
  const llm = new DemoBrain(options.brain);
  const tts = new FliteTts({ voice: options.voice ?? 'slt', poolSize: options.ttsPoolSize ?? 1 });
  return {
    stt,
    llm,
    tts,
    sessionConfig: {
      stt,
      llm,
      tts,
      turnDetection: { mode: 'vad', minEndpointDelayMs: 100 },
      preemptiveGeneration: { enabled: options.isPreemptive ?? true },
      ...(options.noiseSuppression
        ? { pipeline: { audioIn: suppressNoise({ rnnoise: loadNodeRnnoise() }) } }
        : {}),
    },
    warmUp: () => tts.warmUp(),
    close: () => tts.close(),
  };
}
