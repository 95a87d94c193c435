import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { connectVoiceAgent, type VoiceAgentClient } from '@voxduplex/transport-socketio/client';
import { VoxduplexService } from '../src/index';

/**
 * The session factory of the test apps: fake providers from `@voxduplex/core/testing` (no
 * system libraries), and a record of every session made so a test can see them closed.
 */
export class FakeAgents {
  readonly made: VoiceSession[] = [];

  constructor(readonly reply = 'It is noon.') {}

  createSession = (): VoiceSession => {
    const session = createVoiceSession({
      stt: new FakeStt(),
      llm: new FakeLlm({ reply: this.reply }),
      tts: new FakeTts({ chunkMs: 100 }),
      turnDetection: { minEndpointDelayMs: 0 },
    });
    this.made.push(session);
    return session;
  };
}

/** A user's controller reading the injected {@link VoxduplexService}: `GET /voice/stats`. */
@Controller('voice')
export class VoiceStatsController {
  readonly #voice: VoxduplexService;

  constructor(@Inject(VoxduplexService) voice: VoxduplexService) {
    this.#voice = voice;
  }

  @Get('stats')
  stats() {
    return { ...this.#voice.stats(), ids: this.#voice.sessions.ids() };
  }
}

/** A config provider, as `ConfigService` would be: what `forRootAsync`'s factory injects. */
@Injectable()
export class VoiceConfig {
  readonly token = 'let-me-in';
  readonly namespace = '/agent';
  readonly reply = 'Configured reply.';
}

/** Where {@link VoiceConfig} comes from. */
@Module({ providers: [VoiceConfig], exports: [VoiceConfig] })
export class VoiceConfigModule {}

/** An app module importing `voxduplex` (a `VoxduplexModule.forRoot…`) beside a user controller. */
export function appModule(voxduplex: NonNullable<ModuleMetadata['imports']>[number]) {
  @Module({ imports: [voxduplex], controllers: [VoiceStatsController] })
  class AppModule {}
  return AppModule;
}

/** Connects the transport's Node client and resolves once its session is `ready`. */
export async function readyClient(
  url: string,
  auth: Record<string, unknown> = {},
): Promise<VoiceAgentClient> {
  const client = connectVoiceAgent(url, { auth, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    client.on('ready', () => resolve());
    client.on('refused', (refusal) => reject(new Error(`refused: ${JSON.stringify(refusal)}`)));
  });
  return client;
}

/** Types `text` as a user turn and resolves with what the client saw of the agent's answer. */
export async function typedTurn(client: VoiceAgentClient, text: string) {
  const agentText: string[] = [];
  let audioSamples = 0;
  let loudest = 0;
  client.on('agent-text', (message) => agentText.push(message.text));
  client.on('agent-audio', (chunk) => {
    audioSamples += chunk.samples.length;
    for (const sample of chunk.samples) loudest = Math.max(loudest, Math.abs(sample));
  });
  // A player's part: once the last chunk is in, report it played so the speech ends now.
  client.on('audio-end', ({ speechId }) => client.playbackFinished(speechId));
  const end = new Promise<{ interrupted: boolean }>((resolve) => client.on('speech-end', resolve));
  client.sendText(text);
  const { interrupted } = await end;
  return { agentText: agentText.join('').trim(), audioSamples, loudest, interrupted };
}
