import 'reflect-metadata';
import { type INestApplication, Inject, Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { ConfigError, silentLogger } from '@voxduplex/core';
import { connectVoiceAgent, type VoiceAgentClient } from '@voxduplex/transport-socketio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { VoxduplexModule, VoxduplexService } from '../src/index';
import {
  appModule,
  FakeAgents,
  readyClient,
  typedTurn,
  VoiceConfig,
  VoiceConfigModule,
  VoiceStatsController,
} from './voice-app';

// vitest compiles these files like tsx, esbuild and SWC do by default: legacy decorators, no
// `emitDecoratorMetadata`. So every app below runs exactly where the old README's gateway got
// `undefined` constructor arguments; the first test checks that premise rather than assume it.

let app: INestApplication | undefined;
const clients: VoiceAgentClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await app?.close();
  app = undefined;
});

async function listen(module: unknown, adapter: 'default' | 'explicit' = 'default'): Promise<string> {
  app = await NestFactory.create(module as never, { logger: false });
  if (adapter === 'explicit') app.useWebSocketAdapter(new IoAdapter(app));
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

async function stats(url: string) {
  return (await (await fetch(`${url}/voice/stats`)).json()) as { sessions: number; ids: string[] };
}

describe('VoxduplexModule', () => {
  it('runs where no decorator metadata is emitted (the premise of every test here)', () => {
    expect(Reflect.getMetadata('design:paramtypes', VoiceStatsController)).toBeUndefined();
    expect(Reflect.getMetadata('design:paramtypes', VoxduplexService)).toBeUndefined();
  });

  it('forRoot: serves /voice on the app’s Socket.IO server: ready, a typed turn answered with audio, the session gone when the client leaves', async () => {
    const agents = new FakeAgents('It is noon.');
    const url = await listen(
      appModule(VoxduplexModule.forRoot({ allowAnonymous: true, createSession: agents.createSession })),
    );

    const client = await readyClient(`${url}/voice`);
    clients.push(client);
    expect(await stats(url)).toMatchObject({ sessions: 1, ids: [agents.made[0]!.id] });

    const turn = await typedTurn(client, 'what time is it');
    expect(turn).toMatchObject({ agentText: 'It is noon.', interrupted: false });
    // FakeTts speaks 60 ms per character at 16 kHz: the whole reply arrived, and is not silence.
    expect(turn.audioSamples).toBe(Math.round(('It is noon.'.length * 60 * 16_000) / 1000));
    expect(turn.loudest).toBeGreaterThan(1000);

    client.close();
    await expect.poll(async () => (await stats(url)).sessions).toBe(0);
    expect(agents.made[0]!.isClosed).toBe(true);
  });

  it('forRoot: app.close() closes every session, and each client hears `closed`', async () => {
    const agents = new FakeAgents();
    const url = await listen(
      appModule(VoxduplexModule.forRoot({ allowAnonymous: true, createSession: agents.createSession })),
    );
    const first = await readyClient(`${url}/voice`);
    const second = await readyClient(`${url}/voice`);
    clients.push(first, second);
    const closed = [first, second].map((client) => new Promise((resolve) => client.on('closed', resolve)));

    await app!.close();
    app = undefined;

    expect(await Promise.all(closed)).toEqual([{ reason: 'server stopping' }, { reason: 'server stopping' }]);
    expect(agents.made).toHaveLength(2);
    expect(agents.made.every((session) => session.isClosed)).toBe(true);
  });

  it('forRootAsync: a factory injecting a config provider chooses the namespace, the token, the agent, the logger and the hooks', async () => {
    @Injectable()
    class AgentFactory {
      readonly agents: FakeAgents;
      constructor(@Inject(VoiceConfig) config: VoiceConfig) {
        this.agents = new FakeAgents(config.reply);
      }
    }
    let factory: AgentFactory | undefined;
    const warnings: string[] = [];
    const lifecycle: string[] = [];
    const url = await listen(
      appModule(
        VoxduplexModule.forRootAsync({
          imports: [VoiceConfigModule],
          inject: [VoiceConfig],
          useFactory: async (config: VoiceConfig) => {
            factory = new AgentFactory(config);
            return {
              namespace: config.namespace,
              authenticate: ({ auth }) => (auth.token === config.token ? { id: 'alice' } : null),
              createSession: factory.agents.createSession,
              logger: {
                ...silentLogger,
                warn: (fields: object | string, message?: string) => warnings.push(message ?? String(fields)),
              },
              hooks: {
                sessionStarted: ({ identity }) => lifecycle.push(`started ${identity.id}`),
                sessionEnded: ({ identityId, reason }) => lifecycle.push(`ended ${identityId}: ${reason}`),
              },
            };
          },
        }),
      ),
      'explicit',
    );

    const stranger = connectVoiceAgent(`${url}/agent`, { auth: { token: 'guess' }, reconnection: false });
    clients.push(stranger);
    expect(await new Promise((resolve) => stranger.on('refused', resolve))).toMatchObject({
      reason: 'unauthorized',
    });

    const client = await readyClient(`${url}/agent`, { token: 'let-me-in' });
    clients.push(client);
    expect(await typedTurn(client, 'hello')).toMatchObject({ agentText: 'Configured reply.' });
    expect(await stats(url)).toMatchObject({ sessions: 1, refusedConnections: 1 });
    expect(warnings).toEqual([expect.stringMatching(/refused \(unauthorized\)/)]);

    await app!.close();
    app = undefined;
    expect(factory!.agents.made.every((session) => session.isClosed)).toBe(true);
    expect(lifecycle).toEqual(['started alice', 'ended alice: server stopping']);
  });

  it('fails app.listen() with a ConfigError when nobody may connect (neither authenticate nor allowAnonymous)', async () => {
    const agents = new FakeAgents();
    const options = { createSession: agents.createSession } as never;
    await expect(listen(appModule(VoxduplexModule.forRoot(options)))).rejects.toThrow(ConfigError);
  });

  it('says when VoxduplexService is used before the app is initialised', async () => {
    const agents = new FakeAgents();
    app = await NestFactory.create(
      appModule(VoxduplexModule.forRoot({ allowAnonymous: true, createSession: agents.createSession })),
      { logger: false },
    );
    expect(() => app!.get(VoxduplexService).stats()).toThrow(/before the voice agent was attached/);
  });
});
