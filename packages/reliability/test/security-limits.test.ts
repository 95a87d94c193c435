import { encodeMicFrame } from '@voxduplex/transport-socketio';
import { afterEach, describe, expect, it } from 'vitest';
import { Bystander, bystanderUtterances } from './support/bystander';
import { CountedProviders } from './support/counted-providers';
import { collectErrors, nextEvent, rawClient, waitFor } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

let server: VoiceServer | undefined;
let bystander: Bystander | undefined;
const sockets: ReturnType<typeof rawClient>[] = [];
afterEach(async () => {
  bystander?.close();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
  bystander = undefined;
});

/** A server where the bystander and the abusers have providers of their own. */
async function serverWithBystander() {
  const providers = {
    bystander: new CountedProviders({
      stt: { utterances: bystanderUtterances(20), finalDelayMs: 20 },
      llm: { reply: 'Sure.' },
    }),
    abuser: new CountedProviders(),
  };
  server = await startVoiceServer({
    resumeWindowMs: 100,
    providersFor: (id) => (id === 'bystander' ? providers.bystander : providers.abuser),
  });
  bystander = new Bystander(server.url, { token: 'good', user: 'bystander' });
  await bystander.ready();
  return { server, bystander, providers };
}

async function abuser(url: string) {
  const socket = rawClient(url, { token: 'good', user: 'mallory' });
  sockets.push(socket);
  const log = collectErrors(socket);
  await nextEvent(socket, 'ready');
  return { socket, log };
}

describe('per-socket limits hold one abuser back and nobody else', () => {
  it('a flood is cut by the rate limit, answered with few notices, and another user talks on', async () => {
    const { server, bystander, providers } = await serverWithBystander();
    const { socket, log } = await abuser(server.url);
    socket.emit('start', { sampleRate: 16_000 });
    const talking = bystander.turn();
    const flood = 4000;
    for (let i = 0; i < flood; i++)
      if (i % 2 === 0) socket.emit('audio', encodeMicFrame(new Int16Array(320), i, 16_000));
      else socket.emit('flood', i);
    await waitFor(
      () => server.agent.stats().rejectedMessages >= flood / 2,
      'the flood to be counted',
      20_000,
    );
    await talking;

    expect(bystander.failures).toEqual([]);
    expect(bystander.errors).toEqual([]);
    expect(bystander.turnsCompleted).toBe(1);
    // Most of the flood was dropped before validation, without an answer each (no amplification)…
    expect(log.errors.some((e) => e.reason === 'rate_limited' && e.code === 'protocol_invalid')).toBe(true);
    expect(log.errors.length).toBeLessThan(flood / 4);
    // …and little of it reached a provider.
    expect(providers.abuser.fakes.stt.framesReceived).toBeLessThan(flood / 4);
  });

  it('frames above maxFrameBytes and texts above 4000 characters are refused, the session lives on', async () => {
    const { server } = await serverWithBystander();
    const { socket, log } = await abuser(server.url);
    socket.emit('start', { sampleRate: 16_000 });
    socket.emit('audio', encodeMicFrame(new Int16Array(5000), 0, 16_000));
    socket.emit('text', { text: 'x'.repeat(4001) });
    await waitFor(() => log.errors.length >= 2, 'two refusals');
    expect(log.errors.map((e) => [e.event, e.code, e.reason])).toEqual([
      ['audio', 'audio_format', 'frame_too_large'],
      ['text', 'protocol_invalid', 'invalid_message'],
    ]);
    const turn = nextEvent<{ text: string }>(socket, 'user-turn');
    socket.emit('text', { text: 'still here' });
    expect((await turn).text).toBe('still here');
  });

  it('an error quotes at most 64 characters of an unknown event name: junk is not reflected back doubled', async () => {
    const { server } = await serverWithBystander();
    const { socket, log } = await abuser(server.url);
    socket.emit('j'.repeat(50_000), 'k'.repeat(10_000));
    await waitFor(() => log.errors.length === 1, 'the refusal');
    const [error] = log.errors;
    expect(error).toMatchObject({ code: 'protocol_invalid', reason: 'unknown_event' });
    expect(error!.event).toBe(`${'j'.repeat(64)}…`);
    expect(JSON.stringify(error).length).toBeLessThan(400);
  });

  it.each([
    [
      'a 2 MiB message',
      (socket: ReturnType<typeof rawClient>) => socket.emit('text', 'x'.repeat(2 * 1024 * 1024)),
    ],
    [
      'an event with eleven binary attachments',
      (socket: ReturnType<typeof rawClient>) =>
        socket.emit('audio', ...Array.from({ length: 11 }, () => Buffer.alloc(4))),
    ],
  ])('%s closes that one connection; the other user completes a turn', async (_what, send) => {
    const { server, bystander } = await serverWithBystander();
    const { socket } = await abuser(server.url);
    const closed = nextEvent<unknown[]>(socket, 'disconnect');
    send(socket);
    expect(await closed).toContain('transport close');
    await bystander.turn();
    expect(bystander.failures).toEqual([]);
    expect(bystander.errors).toEqual([]);
    // The abuser's session ends with its resume window; the bystander's stays.
    await waitFor(() => server.agent.stats().sessions === 1, "the abuser's session to end");
    expect(server.agent.stats()).toMatchObject({ connectedSockets: 1, suspendedSessions: 0 });
  });
});
