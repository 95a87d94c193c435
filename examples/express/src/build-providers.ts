import {
  consoleLogger,
  type FallbackKind,
  type LlmProvider,
  type ProviderKinds,
  type SttProvider,
  type TtsProvider,
  type VadProvider,
  type VoiceSessionConfig,
} from '@voxduplex/core';
import { traceLlm, traceTts } from '@voxduplex/tracing';
import type { ExampleConfig, ProviderList } from './config';
import { createProviderRegistry, type SelectionContext } from './provider-choices';

/** The providers the server's sessions share, and how to make each session's LLM. */
export interface ExampleProviders {
  readonly vad: VadProvider;
  readonly stt: SttProvider;
  readonly tts: TtsProvider;
  /** One LLM per session (the AI-service socket is per session); a fallback chain for a list. */
  createLlm(sessionId?: string): LlmProvider;
  /**
   * A session's providers, instructions and turn detection (the VAD decides when turns end with
   * PocketSphinx); add your own settings to it.
   */
  sessionConfig(sessionId: string): VoiceSessionConfig;
}

const INSTRUCTIONS = 'You are a friendly voice assistant. Answer in one to three short spoken sentences.';

/**
 * Builds every provider the configuration names. A list (`VOX_LLM=openai,demo`) becomes a
 * fallback chain through the registry (`createFallback`): the first provider in service
 * answers, a failed one is probed in the background and used again once it answers; each
 * switch is logged as a warning and reported to the sessions (`provider-switched`).
 */
export function buildProviders(config: ExampleConfig): ExampleProviders {
  const registry = createProviderRegistry();
  // Silero reports a pause after 120 ms of silence (≈ 210 ms of real silence) and the end of the
  // speech after 300 ms: the reply starts on the words so far at the pause, held back until the
  // turn is confirmed (preemptive generation), so the wait for the end costs the listener nothing.
  const vad = registry.create('vad', { provider: 'silero', minSilenceMs: 300, pauseMs: 120 });
  const context: SelectionContext = { env: config.env, vad };
  const logger = consoleLogger('warn');
  const build = <K extends FallbackKind>(
    kind: K,
    list: ProviderList,
    decorate?: (provider: ProviderKinds[K]) => ProviderKinds[K],
    extra: Partial<SelectionContext> = {},
  ) =>
    registry.createFallback(
      kind,
      list.choices.map((choice) => choice.selection({ ...context, ...extra })),
      { logger, ...(decorate ? { decorate } : {}) },
    );
  // Each LLM and TTS request gets a span (when main.ts registered an exporter; else nothing),
  // named after the provider of the chain that served it.
  const createLlm = (sessionId?: string) =>
    build('llm', config.llm, (llm) => traceLlm(llm), sessionId ? { sessionId } : {});
  createLlm(); // validates the LLM options now; opens no connection
  // Recognizers, synthesizers and the VAD open one stream per session: one instance serves all.
  const stt = build('stt', config.stt);
  const tts = build('tts', config.tts, (tts) => traceTts(tts));
  // PocketSphinx's finals come at the VAD's pauses and ends, so the VAD decides when a turn ends.
  const turnDetection = config.stt.names.includes('local')
    ? ({ mode: 'vad', minEndpointDelayMs: 100 } as const)
    : undefined;
  return {
    vad,
    stt,
    tts,
    createLlm,
    sessionConfig: (sessionId) => ({
      stt,
      tts,
      vad,
      llm: createLlm(sessionId),
      instructions: INSTRUCTIONS,
      ...(turnDetection ? { turnDetection } : {}),
    }),
  };
}
