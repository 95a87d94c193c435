import type { ReadyMessage, SpeechEndMessage, SpeechStartMessage } from '@voxduplex/transport-socketio';
import { afterEach, describe, expect, it } from 'vitest';
import { CountedProviders } from './support/counted-providers';
import { collectErrors, connectOutcome, nextEvent, rawClient, waitFor } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

const STORY =
  'Once upon a time a lighthouse keeper counted every ship that passed, and wrote each name in a ' +
  'book that nobody ever read, until one winter night a ship came by that had no name at all.';

let server: VoiceServer | undefined;
const sockets: ReturnType<typeof rawClient>[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

function connect(url: string, auth: Record<string, unknown>) {
  const socket = rawClient(url, auth);
  sockets.push(socket);
  return socket;
}

/** Alice and Mallory, each on a socket of their own, each with their own providers. */
async function aliceAndMallory(resumeWindowMs?: number) {
  const providers = {
    alice: new CountedProviders({ llm: { reply: STORY } }),
    mallory: new CountedProviders({ llm: { reply: 'Okay.' } }),
  };
  server = await startVoiceServer({
    providersFor: (id) => (id === 'alice' ? providers.alice : providers.mallory),
    ...(resumeWindowMs === undefined ? {} : { resumeWindowMs }),
  });
  const alice = connect(server.url, { token: 'good', user: 'alice' });
  const mallory = connect(server.url, { token: 'good', user: 'mallory' });
  const [aliceReady, malloryReady] = await Promise.all([
    nextEvent<ReadyMessage>(alice, 'ready'),
    nextEvent<ReadyMessage>(mallory, 'ready'),
  ]);
  return { server, providers, alice, mallory, aliceReady, malloryReady };
}

describe('one socket cannot reach another socket’s session', () => {
  it('acks, marks and session ids of someone else’s speech are refused and change nothing there', async () => {
    const { server, providers, alice, mallory, aliceReady } = await aliceAndMallory();
    const aliceErrors = collectErrors(alice);
    const malloryErrors = collectErrors(mallory);
    const speech = nextEvent<SpeechStartMessage>(alice, 'speech-start');
    alice.emit('text', { text: 'Tell me a story.' });
    const { speechId } = await speech;

    // Mallory names Alice's speech and session in everything she can send.
    const malloryTurn = nextEvent<{ text: string }>(mallory, 'user-turn');
    mallory.emit('playback-started', { speechId });
    mallory.emit('playback-ack', { speechId, playedMs: 60_000 });
    mallory.emit('playback-finished', { speechId });
    mallory.emit('text', { text: 'Say it to her.', sessionId: aliceReady.sessionId, speechId });
    mallory.emit('interrupt', { sessionId: aliceReady.sessionId, speechId });
    await waitFor(() => malloryErrors.errors.length >= 3, "three refusals for Mallory's marks");
    expect(malloryErrors.errors.map((e) => [e.event, e.reason, e.speechId])).toEqual([
      ['playback-started', 'unknown_speech', speechId],
      ['playback-ack', 'unknown_speech', speechId],
      ['playback-finished', 'unknown_speech', speechId],
    ]);
    // Her text became a turn of her own session, answered by her providers only.
    expect((await malloryTurn).text).toBe('Say it to her.');
    await waitFor(() => providers.mallory.calls.generate === 1, "Mallory's reply");
    expect(providers.alice.calls.generate).toBe(1);

    // Alice's speech is untouched: still playing, and Mallory's 60 s ack was not counted as heard.
    expect(server.agent.sessions.get(aliceReady.sessionId)?.state.agent).toBe('speaking');
    const ended = nextEvent<SpeechEndMessage>(alice, 'speech-end');
    alice.emit('interrupt');
    const end = await ended;
    expect(end).toMatchObject({ speechId, interrupted: true });
    expect(end.heardText.length).toBeLessThan(STORY.length / 2);
    expect(aliceErrors.errors).toEqual([]);
  });

  it('a resume token works only for its owner, once, and only while the session lives', async () => {
    const { server, alice, aliceReady } = await aliceAndMallory();
    const refused = async (auth: Record<string, unknown>) => {
      const outcome = await connectOutcome(connect(server.url, auth));
      return outcome !== 'connected' && outcome.data?.reason === 'resume_refused';
    };

    // Mallory shows Alice's live token (Alice still connected): refused, Alice keeps her socket.
    expect(await refused({ token: 'good', user: 'mallory', resumeToken: aliceReady.resumeToken })).toBe(true);
    expect(alice.connected).toBe(true);
    // Guessing: fifty well-formed random tokens, none accepted.
    const guesses = Array.from({ length: 50 }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))));
    const guessed = await Promise.all(
      guesses.map((bytes) =>
        refused({ token: 'good', user: 'alice', resumeToken: bytes.toString('base64url') }),
      ),
    );
    expect(guessed.every(Boolean)).toBe(true);

    // Alice's connection drops; her token, untouched by those attempts, brings her back.
    const dropped = nextEvent(alice, 'disconnect');
    alice.io.engine.close();
    await dropped;
    await waitFor(() => server.agent.stats().suspendedSessions === 1, 'the session to wait for Alice');
    const back = connect(server.url, { token: 'good', user: 'alice', resumeToken: aliceReady.resumeToken });
    const resumed = await nextEvent<ReadyMessage>(back, 'ready');
    expect(resumed).toMatchObject({ resumed: true, sessionId: aliceReady.sessionId });

    // Spent: the same token again is refused, even for Alice.
    expect(await refused({ token: 'good', user: 'alice', resumeToken: aliceReady.resumeToken })).toBe(true);
    // Alice leaves for good: her fresh token dies with the session.
    back.disconnect();
    await waitFor(() => !server.agent.sessions.has(aliceReady.sessionId), "Alice's session to end");
    expect(await refused({ token: 'good', user: 'alice', resumeToken: resumed.resumeToken })).toBe(true);

    // No refusal cost a session: only Alice's and Mallory's first connections made one.
    expect(server.calls.createSession).toBe(2);
    expect(server.agent.stats()).toMatchObject({ resumedSessions: 1, refusedConnections: 53 });
  });
});
