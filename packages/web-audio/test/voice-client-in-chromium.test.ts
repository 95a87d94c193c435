import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@voxduplex/transport-socketio';
import type { Browser, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openTestPage } from './harness/browser';
import { bundlePage } from './harness/page-server';
import { eventually, startVoiceServer } from './harness/voice-server';
import { syllables, writeWav } from './harness/wav';
import type { VoxTestApi } from './page/page';

const LONG_REPLY =
  'Here is a rather long first answer that keeps going for a while. It has several sentences in it. ' +
  'Then it goes on with some more words, so that there is plenty left to cut. And it ends here.';

type Server = Awaited<ReturnType<typeof startVoiceServer>>;
type Report = Awaited<ReturnType<VoxTestApi['voiceClientReport']>>;

describe('createVoiceClient against the Socket.IO transport, in Chromium', () => {
  let dir: string;
  let browser: Browser;
  let script: string;
  let server: Server | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vox-client-'));
    const wav = join(dir, 'mic.wav');
    writeWav(wav, syllables(44_100, 2000), 44_100);
    script = await bundlePage();
    browser = await launchChromium(wav);
  });

  afterEach(async () => {
    await page?.close().catch(() => undefined);
    page = undefined;
    await server?.close();
    server = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: Omit<Parameters<typeof startVoiceServer>[0], 'script'>) {
    server = await startVoiceServer({ script, ...options });
    page = await openTestPage(browser, server.url);
    const url = `${server.url}/voice`;
    await page.evaluate(
      (u) => (window as unknown as { voxTest: VoxTestApi }).voxTest.startVoiceClient(u),
      url,
    );
    return { server, page };
  }

  const report = (p: Page): Promise<Report> =>
    p.evaluate(() => (window as unknown as { voxTest: VoxTestApi }).voxTest.voiceClientReport());

  /** Polls the page until `check(report)` holds. */
  async function pageEventually(p: Page, check: (r: Report) => boolean, timeoutMs = 10_000): Promise<Report> {
    const deadline = Date.now() + timeoutMs;
    let last = await report(p);
    while (!check(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      last = await report(p);
    }
    return last;
  }

  const playedMs = (r: Report) =>
    Math.max(0, ...r.playback.flatMap((e) => (e.type === 'progress' ? [e.playedMs] : [])));

  it('plays the agent reply to captured speech and acks the played position to the server', async () => {
    const { server, page } = await start({
      stt: { utterances: [{ text: 'hello there', startMs: 300 }] },
      llm: { reply: 'Hello to you. Nice to hear you.' },
      tts: { sampleRate: 24_000 },
    });
    const done = await pageEventually(page, (r) => r.playback.some((e) => e.type === 'finished'));
    expect(done.playback.find((e) => e.type === 'started')).toBeDefined();
    expect(done.snapshot?.conversation.map((e) => e.role)).toEqual(['user', 'agent']);
    expect(done.snapshot?.conversation[0]?.text).toBe('hello there');
    expect(done.errors).toEqual([]);
    // The server heard the player: the reply is in the history as fully spoken.
    const session = server.agent.sessions.get(done.sessionId!)!;
    expect(session).toBeDefined();
    expect(
      await eventually(() =>
        session.history.some(
          (m) => m.role === 'assistant' && m.content === 'Hello to you. Nice to hear you.',
        ),
      ),
    ).toBe(true);
  });

  it('reports playback finished at the last played sample, and the server listens again at once', async () => {
    // The server's playout estimate would keep the agent speaking for a minute after the audio
    // was sent: only the player's report can end the turn within this test's waits.
    const { page } = await start({
      stt: { utterances: [{ text: 'hello there', startMs: 300 }] },
      llm: { reply: 'Hello to you. Nice to hear you.' },
      tts: { sampleRate: 24_000 },
      session: { playout: { slackMs: 60_000 } },
    });
    const done = await pageEventually(
      page,
      (r) => r.playback.some((e) => e.type === 'finished') && r.states.at(-1) === 'listening',
      15_000,
    );
    const finished = done.playback.find((e) => e.type === 'finished');
    expect(finished).toBeDefined();
    const [end] = done.audioEnds;
    expect(end?.speechId).toBe(finished?.speechId);
    // The whole speech was played: its last sample, at the player's exact position.
    expect((finished as { playedMs: number }).playedMs).toBeCloseTo(end!.audioMs, -1);
    expect(done.playback.some((e) => e.type === 'interrupted')).toBe(false);
    // The player's report came first; the server's speech-end and the listening state follow it.
    const at = (entry: string) => done.timeline.findIndex((line) => line.endsWith(entry));
    expect(at(' finished')).toBeGreaterThanOrEqual(0);
    expect(at(' finished')).toBeLessThan(at(' speech-end'));
    expect(done.timeline.at(-1)).toMatch(/ state listening$/);
    expect(done.snapshot?.conversation.at(-1)).toMatchObject({
      role: 'agent',
      text: 'Hello to you. Nice to hear you.',
    });
    expect(done.snapshot?.conversation.at(-1)?.isInterrupted).toBeUndefined();
  });

  it('never reports an interrupted speech as finished, though all its audio had arrived', async () => {
    const { page } = await start({
      stt: { utterances: [{ text: 'hello there', startMs: 300 }] },
      llm: { reply: LONG_REPLY },
      tts: { sampleRate: 24_000 },
    });
    // The fake TTS makes all the audio at once: the end marker is there long before playback is.
    const playing = await pageEventually(
      page,
      (r) => r.audioEnds.length === 1 && r.playback.some((e) => e.type === 'progress'),
    );
    expect(playing.audioEnds).toHaveLength(1);
    await page.evaluate(() => (window as unknown as { voxTest: VoxTestApi }).voxTest.interruptVoiceClient());
    const speechId = playing.audioEnds[0]!.speechId;
    const playerCut = (r: Report) =>
      r.playback.some((e) => e.type === 'interrupted' && e.speechId === speechId);
    // The player's report (from the audio thread) and the server's speech-end (over the socket)
    // race each other: wait for both, then check each.
    const after = await pageEventually(
      page,
      (r) =>
        playerCut(r) &&
        r.snapshot?.conversation.some((e) => e.role === 'agent' && e.isInterrupted === true) === true,
    );
    expect(playerCut(after)).toBe(true);
    expect(after.snapshot?.conversation.at(-1)).toMatchObject({ role: 'agent', isInterrupted: true });
    // Time for a wrong `finished` to show up, had the player played out after all.
    await new Promise((r) => setTimeout(r, 500));
    const later = await report(page);
    expect(later.playback.some((e) => e.type === 'finished' && e.speechId === speechId)).toBe(false);
    expect(later.states.at(-1)).toBe('listening');
  });

  it('keeps sending microphone audio to the server after the microphone is unplugged and reopened', async () => {
    const { server, page } = await start({ llm: { reply: 'Hi.' } });
    type Api = { voxTest: VoxTestApi };
    await pageEventually(page, (r) => r.ready.length === 1);
    expect(await eventually(() => server.stt.framesReceived > 10)).toBe(true);
    await page.evaluate(() => (window as unknown as Api).voxTest.unplugMicrophone());
    const reopened = await pageEventually(page, (r) => r.microphones.length === 1);
    expect(reopened.microphones).toEqual(['track-ended']);
    expect(reopened.trackStates).toEqual(['ended', 'live']);
    const atReopen = server.stt.framesReceived;
    // 20 ms frames: about 50 a second reach the session's recognizer from the new microphone.
    expect(await eventually(() => server.stt.framesReceived > atReopen + 25)).toBe(true);
    expect(reopened.errors).toEqual([]);
    await page.evaluate(() => (window as unknown as Api).voxTest.stopVoiceClient());
    expect((await report(page)).trackStates).toEqual(['ended', 'ended']);
  });

  it('tears down the server session and every provider stream when the page closes', async () => {
    const { server, page: opened } = await start({
      stt: { utterances: [{ text: 'hello there', startMs: 300 }] },
      llm: { reply: LONG_REPLY },
      tts: { sampleRate: 24_000 },
    });
    await pageEventually(opened, (r) => r.playback.some((e) => e.type === 'started'));
    expect(server.agent.stats().sessions).toBe(1);
    expect(server.openStreams()).toBeGreaterThan(0);
    await opened.close();
    page = undefined;
    expect(await eventually(() => server.agent.stats().sessions === 0 && server.openStreams() === 0)).toBe(
      true,
    );
    expect(server.agent.stats().connectedSockets).toBe(0);
  });

  it('continues the same conversation after the network drops mid-reply, with the heard part in history', async () => {
    const { server, page } = await start({
      stt: {
        utterances: [
          { text: 'hello there', startMs: 300 },
          { text: 'and then what', startMs: 7000 },
        ],
      },
      llm: { reply: (_request, call) => (call === 0 ? LONG_REPLY : 'Then we are done.') },
      tts: { sampleRate: 24_000 },
    });
    const before = await pageEventually(page, (r) => playedMs(r) >= 1500);
    expect(playedMs(before)).toBeGreaterThanOrEqual(1500);
    const firstReady = before.ready[0]!;
    server.cutNetwork(600);
    const after = await pageEventually(page, (r) => r.ready.length >= 2, 15_000);
    expect(after.ready[1]).toMatchObject({ resumed: true, sessionId: firstReady.sessionId });
    expect(after.statuses).toContain('reconnecting');
    expect(after.sessionLost).toEqual([]);
    // The next turn's LLM request carries the earlier turn, with only the heard part of the reply.
    expect(await eventually(() => server.llm.requests.length >= 2, 20_000)).toBe(true);
    const history = server.llm.requests[1]!.messages;
    expect(history.some((m) => m.role === 'user' && m.content === 'hello there')).toBe(true);
    const cut = history.find((m) => m.role === 'assistant');
    expect(cut).toBeDefined();
    const heard = String(cut!.content);
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.length).toBeLessThan(LONG_REPLY.length);
    expect(LONG_REPLY.startsWith(heard.replace(/…$/, '').trim().slice(0, 20))).toBe(true);

    // The first token was used by the resume: replayed from another socket, it is refused.
    const refusal = await connectWithToken(server.directUrl, firstReady.resumeToken, 'alice');
    expect(refusal).toBe('resume_refused');
    // The current token belongs to alice: someone else cannot take the session with it.
    const stolen = await connectWithToken(server.directUrl, after.ready[1]!.resumeToken, 'mallory');
    expect(stolen).toBe('resume_refused');
  });

  it('starts a new session when the network comes back after the resume window', async () => {
    const { server, page } = await start({
      stt: { utterances: [{ text: 'hello there', startMs: 300 }] },
      llm: { reply: LONG_REPLY },
      tts: { sampleRate: 24_000 },
      resumeWindowMs: 300,
    });
    const before = await pageEventually(page, (r) => r.playback.some((e) => e.type === 'started'));
    const firstSession = before.ready[0]!.sessionId;
    server.cutNetwork(1200);
    const after = await pageEventually(page, (r) => r.ready.length >= 2, 15_000);
    expect(after.ready[1]?.resumed).toBe(false);
    expect(after.ready[1]?.sessionId).not.toBe(firstSession);
    expect(after.sessionLost.length).toBe(1);
    expect(server.agent.stats().sessions).toBe(1);
  });
});

/** Connects straight to the server with a resume token; resolves the refusal reason or 'connected'. */
function connectWithToken(url: string, resumeToken: string, user: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(`${url}/voice`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: 'good', user, protocol: PROTOCOL_VERSION, resumeToken },
    });
    socket.on('connect_error', (error: Error & { data?: { reason?: string } }) => {
      socket.close();
      resolve(error.data?.reason ?? error.message);
    });
    socket.on('ready', () => {
      socket.close();
      resolve('connected');
    });
  });
}
