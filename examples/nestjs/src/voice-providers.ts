import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type LlmProvider,
  ProviderRegistry,
  type SttProvider,
  type TtsProvider,
  type VadProvider,
} from '@voxduplex/core';
import { demoBrainFactory } from '@voxduplex/demo-brain';
import { pocketsphinxSttFactory } from '@voxduplex/stt-pocketsphinx';
import { fliteTtsFactory } from '@voxduplex/tts-flite';
import { sileroVadFactory } from '@voxduplex/vad-silero';
import type { VoiceConfig } from './voice.config';

/** Injection token of the built providers ({@link VoiceProviders}). */
export const VOICE_PROVIDERS = Symbol('VOICE_PROVIDERS');

/** The providers every session shares, plus a per-session LLM. */
export interface VoiceProviders {
  readonly stt: SttProvider;
  readonly tts: TtsProvider;
  readonly vad: VadProvider;
  createLlm(): LlmProvider;
  close(): Promise<void>;
}

/**
 * The registry of installed adapters. Add a cloud one with a line here (e.g.
 * `.register('stt', 'azure', azureSttFactory)`) and choose it with `VOX_STT=azure`.
 */
export const providerRegistry: Provider = {
  provide: ProviderRegistry,
  useFactory: () =>
    new ProviderRegistry()
      .register('stt', 'pocketsphinx', pocketsphinxSttFactory)
      .register('vad', 'silero', sileroVadFactory)
      .register('tts', 'flite', fliteTtsFactory)
      .register('llm', 'demo', demoBrainFactory),
};

/** Builds the configured providers when the module starts, so a bad choice fails at boot. */
export const voiceProviders: Provider = {
  provide: VOICE_PROVIDERS,
  inject: [ConfigService, ProviderRegistry],
  useFactory: (config: ConfigService, registry: ProviderRegistry): VoiceProviders => {
    const voice = config.getOrThrow<VoiceConfig>('voice');
    const vad = registry.create('vad', { provider: voice.vad });
    const stt = registry.create('stt', {
      provider: voice.stt,
      ...(voice.stt === 'pocketsphinx' ? { vad } : {}),
    });
    const tts = registry.create('tts', { provider: voice.tts });
    const createLlm = () => registry.create('llm', { provider: voice.llm });
    createLlm();
    return {
      stt,
      tts,
      vad,
      createLlm,
      close: async () => (tts as { close?: () => Promise<void> }).close?.(),
    };
  },
};
