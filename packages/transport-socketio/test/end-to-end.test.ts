import { afterEach, describe, expect, it } from 'vitest';
import { type AgentAudioChunk, connectVoiceAgent, type VoiceAgentClient } from '../src/client/index';
import { startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
let client: VoiceAgentClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('a voice turn over Socket.IO', () => {
  it('carries mic audio in and a spoken, acked reply out', async () => {
    server = await startTestServer({
      stt: { utterances: [{ text: 'what time is it', startMs: 100, durationMs: 600 }], finalDelayMs: 20 },
      llm: { reply: 'It is noon.' },
      tts: { chunkMs: 100 },
    });
    client = connectVoiceAgent(server.url, { auth: { token: 'good' } });
    const seen: string[] = [];
    const audio: AgentAudioChunk[] = [];
    let finalText = '';
    client.on('transcript', (t) => {
      if (t.isFinal) finalText = t.text;
    });
    client.on('user-turn', (t) => seen.push(`user-turn:${t.text}`));
    client.on('agent-text', (t) => seen.push(`agent-text:${t.text.trim()}`));
    client.on('agent-audio', (chunk) => audio.push(chunk));
    client.on('speech-end', (e) => seen.push(`speech-end:${e.interrupted}`));
    const metrics: unknown[] = [];
    client.on('metrics', (m) => metrics.push(m));

    // Sent before the session is ready: the client queues it.
    for (let i = 0; i < 50; i++) client.sendAudio(new Int16Array(320));
    await waitFor(() => seen.some((s) => s.startsWith('agent-text')), 'agent text');
    await waitFor(
      () => audio.length > 0 && audio.reduce((ms, c) => ms + c.durationMs, 0) >= 600,
      'agent audio',
    );
    expect(server.stt.framesReceived).toBe(50);
    expect(finalText).toBe('what time is it');
    expect(server.llm.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'what time is it' });

    const speechId = audio[0]!.speechId;
    expect(audio.every((c) => c.speechId === speechId && c.sampleRate === 16000)).toBe(true);
    expect(audio.map((c) => c.seq)).toEqual(audio.map((_, i) => i));
    expect(audio.reduce((n, c) => n + c.samples.length, 0)).toBe(
      Math.round(('It is noon.'.length * 60 * 16000) / 1000),
    );
    expect(audio[0]!.samples.some((s) => s !== 0)).toBe(true);

    const totalMs = audio.reduce((ms, c) => ms + c.durationMs, 0);
    client.playbackStarted(speechId);
    client.playbackAck({ speechId, playedMs: totalMs });
    client.playbackFinished(speechId);
    await waitFor(() => seen.includes('speech-end:false'), 'speech end');
    await waitFor(() => metrics.length === 1, 'turn metrics');
    expect(seen.slice(0, 2)).toEqual(['user-turn:what time is it', 'agent-text:It is noon.']);
    expect(metrics[0]).toMatchObject({ speechId, interrupted: false });
    expect((metrics[0] as { voiceToVoiceMs?: number }).voiceToVoiceMs).toBeGreaterThanOrEqual(0);
  });

  it('close() ends every session with a closed message and refuses new connections', async () => {
    server = await startTestServer();
    client = connectVoiceAgent(server.url, { auth: { token: 'good' } });
    await new Promise((resolve) => client!.on('ready', resolve));
    const closed = new Promise((resolve) => client!.on('closed', resolve));
    server.agent.close('maintenance');
    expect(await closed).toEqual({ reason: 'maintenance' });
    expect(client.status).toBe('closed');
    expect(server.agent.stats()).toMatchObject({ sessions: 0 });
    const late = connectVoiceAgent(server.url, { auth: { token: 'good' } });
    const refusal = await new Promise((resolve) => late.on('refused', resolve));
    expect(refusal).toMatchObject({ reason: 'unauthorized' });
    expect(late.status).toBe('closed');
    late.close();
    expect(server.calls.createSession).toBe(1);
  });

  it('refuses a bad token before any session or provider cost', async () => {
    server = await startTestServer();
    client = connectVoiceAgent(server.url, { auth: { token: 'bad' } });
    const refusal = await new Promise((resolve) => client!.on('refused', resolve));
    expect(refusal).toMatchObject({ reason: 'unauthorized' });
    expect(client.status).toBe('closed');
    expect(server.calls).toEqual({ authenticate: 1, createSession: 0 });
    expect(server.stt.streams.opened + server.llm.streams.opened + server.tts.streams.opened).toBe(0);
    expect(server.agent.stats()).toMatchObject({ refusedConnections: 1, sessions: 0 });
  });

  it.each([
    ['the client closes', 30_000],
    ['the network drops, no resume window', 0],
    ['the network drops, within the resume window', 30_000],
  ])('tears down every provider stream at once when %s', async (how, resumeWindowMs) => {
    server = await startTestServer({
      resumeWindowMs,
      stt: { utterances: [{ text: 'tell me a story', startMs: 0, durationMs: 400 }], finalDelayMs: 10 },
      llm: { reply: 'Once upon a time there was a very long story.', tokensPerSecond: 5 },
      tts: { realtimeFactor: 1 },
    });
    client = connectVoiceAgent(server.url, { auth: { token: 'good' }, reconnection: false });
    for (let i = 0; i < 40; i++) client.sendAudio(new Int16Array(320));
    await waitFor(
      () => server!.llm.streams.open === 1 && server!.stt.streams.open === 1,
      'LLM and STT streams open',
    );
    if (how === 'the client closes') client.close();
    else server.dropConnections();
    await waitFor(() => server!.openStreams() === 0, 'every provider stream closed');
    expect(server.llm.streams.cancelled).toBe(1);
    const isKept = how.endsWith('within the resume window');
    expect(server.agent.stats()).toMatchObject({
      sessions: isKept ? 1 : 0,
      suspendedSessions: isKept ? 1 : 0,
    });
  });
});
