import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createVoiceSession, SessionRegistry, type VoiceSession } from '@voxduplex/core';
import type { VoiceConfig } from './voice.config';
import { VOICE_PROVIDERS, type VoiceProviders } from './voice-providers';

/** Builds one voice session per connection and keeps it in the injectable {@link SessionRegistry}. */
@Injectable()
export class AgentFactory implements OnModuleDestroy {
  readonly #providers: VoiceProviders;
  readonly #sessions: SessionRegistry;
  readonly #config: ConfigService;

  constructor(
    @Inject(VOICE_PROVIDERS) providers: VoiceProviders,
    @Inject(SessionRegistry) sessions: SessionRegistry,
    @Inject(ConfigService) config: ConfigService,
  ) {
    this.#providers = providers;
    this.#sessions = sessions;
    this.#config = config;
  }

  createSession(socketId: string): VoiceSession {
    const { stt, tts, vad, createLlm } = this.#providers;
    const { instructions } = this.#config.getOrThrow<VoiceConfig>('voice');
    return this.#sessions.add(
      socketId,
      createVoiceSession({ stt, tts, vad, llm: createLlm(), instructions }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.#sessions.closeAll('server stopping');
    await this.#providers.close();
  }
}
