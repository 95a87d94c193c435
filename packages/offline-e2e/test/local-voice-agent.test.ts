import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { DemoBrain } from '@voxduplex/demo-brain';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import { liveDecoderCount } from '@voxduplex/stt-pocketsphinx';
import { liveSessionCount } from '@voxduplex/vad-silero';
import { asyncScheduler, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SimulatedPlayer } from '../../../scripts/demo/simulated-player';
import { decodeWav, encodeWav, SimulatedMicrophone, speakAsUser, toMono16k } from '../src/index';
import { agentListening, nextEvent, recordEvents, sleep, type TimedEvent, wordCount } from './conversation';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const QUESTION = 'what time is it';
const STORY_REQUEST = 'please tell me a story';
const INTERRUPTION = 'what time is it now';

/** The user's audio goes through real WAV files (written by Flite `rms`, read back and converted). */
async function userWavs(dir: string): Promise<Int16Array[]> {
  const spoken = await speakAsUser([QUESTION, STORY_REQUEST, INTERRUPTION], 'rms');
  return spoken.map((samples, i) => {
    const path = join(dir, `question-${i}.wav`);
    writeFileSync(path, encodeWav(samples, 16000));
    return toMono16k(decodeWav(readFileSync(path)));
  });
}

async function fullStory(): Promise<string> {
  const brain = new DemoBrain({ timeToFirstTokenMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY });
  const events = await lastValueFrom(
    brain.generate({ messages: [{ role: 'user', content: STORY_REQUEST }] }).pipe(toArray()),
  );
  return events.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('a voice agent on the local engines (PocketSphinx + Silero → demo brain → Flite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voxduplex-e2e-'));
  let stack: LocalStack;
  let session: VoiceSession;
  let player: SimulatedPlayer;
  let microphone: SimulatedMicrophone;
  let log: TimedEvent[];
  let question: Int16Array;
  let storyRequest: Int16Array;
  let interruption: Int16Array;

  beforeAll(async () => {
    [question, storyRequest, interruption] = (await userWavs(dir)) as [Int16Array, Int16Array, Int16Array];
    stack = createLocalStack();
    await stack.warmUp();
    session = createVoiceSession({ ...stack.sessionConfig, instructions: 'You are a demo assistant.' });
    log = recordEvents(session);
    player = new SimulatedPlayer(session, asyncScheduler);
    microphone = new SimulatedMicrophone((chunk) => session.pushAudio(chunk));
    microphone.start();
    await sleep(500); // the microphone is open a moment before the user speaks
  });

  afterAll(async () => {
    // VOXDUPLEX_E2E_TRACE=1 prints the conversation's timeline (without audio chunks) to debug a failure.
    if (process.env.VOXDUPLEX_E2E_TRACE) {
      const t0 = log[0]?.at ?? 0;
      for (const { at, event } of log) {
        if (event.type === 'audio') continue;
        console.log(((at - t0) / 1000).toFixed(2), event.type, JSON.stringify(event).slice(0, 160));
      }
    }
    microphone?.stop();
    player?.stop();
    session?.close('test over');
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hears a question in another voice and answers it with audio as long as its text', async () => {
    const turn = nextEvent(session, 'user-turn');
    const replyEnd = nextEvent(session, 'speech-end');
    await microphone.say(question);

    const { text: heardQuestion, turnId } = await turn;
    expect(heardQuestion).toContain('time');
    const finals = log.flatMap(({ event }) =>
      event.type === 'transcript' && event.transcript.isFinal ? [event.transcript.text] : [],
    );
    expect(finals.join(' ')).toMatch(/\bwhat\b.*\btime\b/);

    const end = await replyEnd;
    expect(end).toMatchObject({ turnId, interrupted: false });
    expect(end.text).toContain("That's the time on this machine's clock.");
    await agentListening(session);

    const audio = log.flatMap(({ event }) =>
      event.type === 'audio' && event.audio.speechId === end.speechId ? [event.audio] : [],
    );
    expect(audio.length).toBeGreaterThan(0);
    expect(audio.every((chunk) => chunk.sampleRate === 16000 && chunk.channels === 1)).toBe(true);
    const audioMinutes = audio.reduce((sum, chunk) => sum + chunk.durationMs, 0) / 60_000;
    const wordsPerMinute = wordCount(end.text) / audioMinutes;
    // Natural English speech runs at about 120–220 words per minute; Flite slt sits inside it.
    expect(wordsPerMinute).toBeGreaterThan(110);
    expect(wordsPerMinute).toBeLessThan(240);
    expect(session.state.agent).toBe('listening');
  });

  it('stops a story when the user talks over it, and keeps only what was heard', async () => {
    const storyStart = nextEvent(session, 'audio');
    await microphone.say(storyRequest);
    const { audio: firstStoryAudio } = await storyStart;
    const storyId = firstStoryAudio.speechId;

    await sleep(2500); // the user listens to a few seconds of the story, then talks over it
    const storyEnd = nextEvent(session, 'speech-end', (e) => e.speechId === storyId);
    const answerEnd = nextEvent(session, 'speech-end', (e) => e.speechId !== storyId, 45_000);
    await microphone.say(interruption);

    const cut = await storyEnd;
    expect(cut.interrupted).toBe(true);
    await answerEnd;
    await agentListening(session);
    expect(session.state.agent).toBe('listening');

    // Reply audio stops: nothing of the story leaves the session after its interrupt control.
    const interruptAt = log.findIndex(
      ({ event }) =>
        event.type === 'control' && event.control.type === 'interrupt' && event.control.speechId === storyId,
    );
    expect(interruptAt).toBeGreaterThan(0);
    const lateAudio = log
      .slice(interruptAt)
      .filter(({ event }) => event.type === 'audio' && event.audio.speechId === storyId);
    expect(lateAudio).toEqual([]);

    // The history keeps the heard part only, marked as interrupted.
    const story = squash(await fullStory());
    const kept = session.history.find((m) => m.role === 'assistant' && m.interrupted === true);
    expect(kept).toBeDefined();
    const heard = squash(kept!.content);
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.length).toBeLessThan(story.length);
    expect(story.startsWith(heard)).toBe(true);
    expect(squash(cut.heardText)).toBe(heard);
    // The user's interruption became the next turn, and the agent answered it.
    const userTurns = log.flatMap(({ event }) => (event.type === 'user-turn' ? [event.text] : []));
    expect(userTurns.at(-1)).toContain('time');
  });

  it('frees every decoder, VAD session and Flite worker beyond the pool on close', async () => {
    microphone.stop();
    player.stop();
    session.close('test over');
    await vi.waitFor(() => expect(liveDecoderCount()).toBe(0), { timeout: 20_000 });
    expect(liveSessionCount()).toBe(0);
    expect(stack.tts.workers.live).toBeLessThanOrEqual(1);
    await stack.close();
    expect(stack.tts.workers.live).toBe(0);
  });
});
