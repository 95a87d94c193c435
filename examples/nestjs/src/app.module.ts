import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { VoxduplexModule } from '@voxduplex/nestjs';
import { AgentFactory } from './agent.factory';
import { AgentModule } from './agent.module';
import { SessionsController } from './sessions.controller';
import { voiceConfig } from './voice.config';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [voiceConfig], ignoreEnvFile: true }),
    // The voice agent on the app's Socket.IO server, namespace /voice.
    VoxduplexModule.forRootAsync({
      imports: [AgentModule],
      inject: [AgentFactory],
      useFactory: (agents: AgentFactory) => ({
        // An open demo. In a real app: `authenticate: ({ auth }) => verify(auth.token)` → { id } or null.
        allowAnonymous: true,
        createSession: () => agents.createSession(),
      }),
    }),
  ],
  controllers: [SessionsController],
})
export class AppModule {}
