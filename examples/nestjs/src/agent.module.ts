import { Module } from '@nestjs/common';
import { AgentFactory } from './agent.factory';
import { providerRegistry, voiceProviders } from './voice-providers';

/** The providers (STT, TTS, VAD, LLM) and the {@link AgentFactory} that builds sessions from them. */
@Module({
  providers: [providerRegistry, voiceProviders, AgentFactory],
  exports: [AgentFactory],
})
export class AgentModule {}
