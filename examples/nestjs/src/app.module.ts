import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { SessionRegistry } from '@voxduplex/core';
import { AgentFactory } from './agent.factory';
import { ChatGateway } from './chat.gateway';
import { SessionsController } from './sessions.controller';
import { voiceConfig } from './voice.config';
import { providerRegistry, voiceProviders } from './voice-providers';

@Module({
  imports: [ConfigModule.forRoot({ load: [voiceConfig], ignoreEnvFile: true })],
  controllers: [SessionsController],
  providers: [
    { provide: SessionRegistry, useFactory: () => new SessionRegistry() },
    providerRegistry,
    voiceProviders,
    AgentFactory,
    ChatGateway,
  ],
})
export class AppModule {}
