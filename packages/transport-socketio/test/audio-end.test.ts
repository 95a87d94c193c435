import { afterEach, describe, expect, it } from 'vitest';
import {
  type AgentAudioChunk,
  type AudioEndMessage,
  audioEndMessageSchema,
  connectVoiceAgent,
  type StateMessage,
  type VoiceAgentClient,
} from '../src/client/index';
import { nextEvent, rawClient, startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
let client: VoiceAgentClient | undefined;
const raws: { close(): void }[] = [];
afterEach(async () => {
  client?.close();
  for (const raw of raws.splice(0)) raw.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

// The server's playout estimate would keep the agent speaking for a minute after its audio was
// sent: only the listener's `playback-finished` can end the turn within these tests' waits.
const LONG_PLAYOUT = { playout: { slackMs: 60_000 } };

describe('audio-end: the last chunk of a speech was sent', () => {
  it('follows every chunk of the speech, and playback-finished then ends the agent turn at once', async () => {
    server = await startTestServer({
      session: LONG_PLAYOUT,
      llm: { reply: 'It is noon. The sun is high.' },
      tts: { chunkMs: 40 },
    });
    client = connectVoiceAgent(server.url, { auth: { token: 'good' } });
    const log: string[] = [];
    const audio: AgentAudioChunk[] = [];
    const ends: AudioEndMessage[] = [];
    const states: StateMessage[] = [];
    client.on('agent-audio', (chunk) => {
      audio.push(chunk);
      log.push('audio');
    });
    client.on('audio-end', (end) => {
      ends.push(end);
      log.push('audio-end');
    });
    client.on('speech-end', (end) => log.push(`speech-end:${end.interrupted}`));
    client.on('state', (state) => states.push(state));
    await new Promise((resolve) => client!.on('ready', resolve));
    client.sendText('what time is it');

    await waitFor(() => ends.length === 1, 'audio-end');
    const [end] = ends;
    const speechId = audio[0]!.speechId;
    // Every chunk came before the marker, in order, and the marker tells their total.
    expect(end).toMatchObject({ speechId, turnId: audio[0]!.turnId });
    expect(audio.map((c) => c.seq)).toEqual(audio.map((_, i) => i));
    expect(end!.audioMs).toBe(audio.reduce((ms, c) => ms + c.durationMs, 0));
    expect(log.lastIndexOf('audio')).toBe(log.indexOf('audio-end') - 1);
    // Still speaking: without the listener's word the server waits for its playout estimate.
    expect(states.at(-1)?.agent).toBe('speaking');
    expect(log).not.toContain('speech-end:false');

    client.playbackAck({ speechId, playedMs: end!.audioMs });
    client.playbackFinished(speechId);
    await waitFor(() => log.includes('speech-end:false'), 'speech-end after playback-finished');
    await waitFor(() => states.at(-1)?.agent === 'listening', 'agent back to listening');
    const session = server.agent.sessions.get(client.sessionId!)!;
    expect(session.history.at(-1)).toEqual({ role: 'assistant', content: 'It is noon. The sun is high.' });
  });

  it('waits behind the audio a slow client has not acked yet', async () => {
    server = await startTestServer({
      session: LONG_PLAYOUT,
      limits: { outboundWindowMs: 100 },
      llm: { reply: 'A reply long enough to fill the window several times over.' },
      tts: { chunkMs: 20 },
    });
    const raw = rawClient(server.url);
    raws.push(raw);
    const order: string[] = [];
    const pendingAcks: (() => void)[] = [];
    raw.on('agent-audio', (header: { seq: number }, _pcm: unknown, ack: () => void) => {
      order.push(`audio:${header.seq}`);
      pendingAcks.push(ack);
    });
    raw.on('audio-end', (payload: unknown) => {
      order.push('audio-end');
      expect(audioEndMessageSchema.safeParse(payload).success).toBe(true);
    });
    await nextEvent(raw, 'ready');
    raw.emit('text', { text: 'say something long' });
    // Acks trickle in one at a time: most of the speech waits in the server's queue.
    await waitFor(() => order.length > 0, 'first chunk');
    while (!order.includes('audio-end')) {
      await waitFor(() => pendingAcks.length > 0 || order.includes('audio-end'), 'more audio');
      pendingAcks.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seqs = order.filter((o) => o.startsWith('audio:')).map((o) => Number(o.slice(6)));
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(order.at(-1)).toBe('audio-end');
  });

  it('is not sent for a speech interrupted before its audio was complete', async () => {
    server = await startTestServer({
      llm: { reply: 'Once upon a time there was a very long story that goes on.' },
      tts: { chunkMs: 50, realtimeFactor: 1 },
    });
    client = connectVoiceAgent(server.url, { auth: { token: 'good' } });
    const audio: AgentAudioChunk[] = [];
    const ends: AudioEndMessage[] = [];
    const speechEnds: boolean[] = [];
    client.on('agent-audio', (chunk) => audio.push(chunk));
    client.on('audio-end', (end) => ends.push(end));
    client.on('speech-end', (end) => speechEnds.push(end.interrupted));
    await new Promise((resolve) => client!.on('ready', resolve));
    client.sendText('tell me a story');
    await waitFor(() => audio.length >= 2, 'some audio');
    client.interrupt();
    await waitFor(() => speechEnds.length === 1, 'speech-end');
    expect(speechEnds).toEqual([true]);
    // Late chunks may still be in flight; give them (and any marker) time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ends).toEqual([]);
  });
});
