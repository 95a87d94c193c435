import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import type { VoiceConfig } from './voice.config';
import { VOICE_PROVIDERS, type VoiceProviders } from './voice-providers';

/** Builds the voice session of each new connection from the configured providers. */
@Injectable()
export class AgentFactory implements OnApplicationShutdown {
  readonly #providers: VoiceProviders;
  readonly #config: ConfigService;

  // Every argument names its token: no `emitDecoratorMetadata` needed (tsx, esbuild, SWC).
  constructor(
    @Inject(VOICE_PROVIDERS) providers: VoiceProviders,
    @Inject(ConfigService) config: ConfigService,
  ) {
    this.#providers = providers;
    this.#config = config;
  }

  createSession(): VoiceSession {
    const { stt, tts, vad, createLlm } = this.#providers;
    const { instructions } = this.#config.getOrThrow<VoiceConfig>('voice');
    return createVoiceSession({ stt, tts, vad, llm: createLlm(), instructions });
  }

  /** After VoxduplexModule has closed every session: the providers are no longer used. */
  async onApplicationShutdown(): Promise<void> {
    await this.#providers.close();
  }
}
