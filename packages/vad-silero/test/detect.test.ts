import { AudioFormatError, type AudioFrame, type VadEvent, VoxError } from '@voxduplex/core';
import {
  audioWorkspace,
  fliteSpeech,
  loudSpan,
  melody,
  mix,
  sequence,
  toFrames,
  tone,
  whiteNoise,
} from '@voxduplex/test-support';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { liveSessionCount, SileroVad, type SileroVadOptions } from '../src/index';

const workspace = audioWorkspace();
afterAll(() => workspace.remove());

const detectAll = (samples: Int16Array | AudioFrame[], options: SileroVadOptions = {}) =>
  lastValueFrom(
    new SileroVad(options).detect(from(Array.isArray(samples) ? samples : toFrames(samples))).pipe(toArray()),
  );
const sessionsReleased = () => vi.waitFor(() => expect(liveSessionCount()).toBe(0), { timeout: 30_000 });

describe('SileroVad on real speech', () => {
  it('reports one speech span around a spoken sentence, with probabilities', async () => {
    const speech = fliteSpeech(workspace.dir, 'what is the weather like today', 'rms');
    const truth = loudSpan(speech, 800);
    const events = await detectAll(sequence(800, speech, 1200));

    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    const [start, end] = events as [VadEvent, VadEvent];
    expect(Math.abs(start.atMs - truth.onsetMs)).toBeLessThan(150);
    expect(Math.abs(end.atMs - truth.offsetMs)).toBeLessThan(250);
    expect(start.probability).toBeGreaterThanOrEqual(0.5);
    expect(end.probability).toBeLessThan(0.35);
    expect(liveSessionCount()).toBe(0); // released before the stream completed
  });

  it('still finds speech under steady background noise', async () => {
    const speech = fliteSpeech(workspace.dir, 'please tell me a story', 'awb');
    const truth = loudSpan(speech, 800);
    const noisy = mix(sequence(800, speech, 1200), whiteNoise(800 + speech.length / 16 + 1200, 0.03));
    const events = await detectAll(noisy);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    expect(Math.abs(events[0]!.atMs - truth.onsetMs)).toBeLessThan(200);
  });

  it('reports two spans for two sentences a second apart, in timeline order', async () => {
    const first = fliteSpeech(workspace.dir, 'hello there', 'awb');
    const second = fliteSpeech(workspace.dir, 'what time is it', 'rms');
    const events = await detectAll(sequence(500, first, 1000, second, 800));
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'speech-start', 'speech-end']);
    const times = events.map((e) => e.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[2]! - times[1]!).toBeGreaterThan(700);
  });

  it('does not split speech at a pause shorter than minSilenceMs, and does split with a shorter minimum', async () => {
    const a = fliteSpeech(workspace.dir, 'go forward', 'rms');
    const b = fliteSpeech(workspace.dir, 'then turn left', 'rms');
    const audio = sequence(500, a, 300, b, 1000);
    const merged = await detectAll(audio, { minSilenceMs: 800 });
    const split = await detectAll(audio, { minSilenceMs: 100 });
    expect(merged.filter((e) => e.type === 'speech-start')).toHaveLength(1);
    expect(split.filter((e) => e.type === 'speech-start').length).toBeGreaterThanOrEqual(2);
  });

  it('with pauseMs, reports the short pause inside a sentence and the silence after it before its end', async () => {
    const a = fliteSpeech(workspace.dir, 'go forward', 'rms');
    const b = fliteSpeech(workspace.dir, 'then turn left', 'rms');
    const audio = sequence(500, a, 300, b, 1000);
    const events = await detectAll(audio, { minSilenceMs: 800, pauseMs: 150 });
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-pause', 'speech-pause', 'speech-end']);
    const [, inside, last, end] = events as [VadEvent, VadEvent, VadEvent, VadEvent];
    const truthA = loudSpan(a, 500);
    expect(Math.abs(inside.atMs - truthA.offsetMs)).toBeLessThan(250);
    expect(last.atMs).toBe(end.atMs);
  });

  it('gives the same events whatever the frame size, because state carries across frames', async () => {
    const speech = sequence(600, fliteSpeech(workspace.dir, 'tell me a story about a dragon', 'rms'), 900);
    const oddFrames: AudioFrame[] = [];
    for (let at = 0, size = 7; at < speech.length; at += size, size = (size * 13 + 5) % 1201 || 3) {
      oddFrames.push({
        samples: speech.slice(at, at + size),
        sampleRate: 16000,
        channels: 1,
        startMs: at / 16,
      });
    }
    expect(await detectAll(oddFrames)).toEqual(await detectAll(speech));
  });

  it('reports times on the frames’ own timeline', async () => {
    const speech = sequence(600, fliteSpeech(workspace.dir, 'hello there', 'rms'), 900);
    const atZero = await detectAll(toFrames(speech, 20, 0));
    const later = await detectAll(toFrames(speech, 20, 60_000));
    expect(later.map((e) => e.atMs)).toEqual(atZero.map((e) => e.atMs + 60_000));
  });

  it('ends open speech when the audio ends mid-sentence', async () => {
    const speech = fliteSpeech(workspace.dir, 'tell me a story about a dragon', 'rms');
    const events = await detectAll(sequence(500, speech.subarray(0, speech.length / 2)));
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    expect(events[1]!.atMs).toBeLessThanOrEqual(500 + speech.length / 32 + 1);
  });
});

describe('SileroVad on non-speech', () => {
  it.each([
    ['digital silence', () => sequence(3000)],
    ['a 440 Hz tone', () => tone(3000, 440)],
    ['a loud 1 kHz tone', () => tone(3000, 1000, 0.6)],
    ['a melody of chords', () => melody(4000)],
    ['white noise', () => whiteNoise(3000, 0.1)],
  ])('reports no speech on %s', async (_, audio) => {
    expect(await detectAll(audio())).toEqual([]);
  });
});

describe('SileroVad resources', () => {
  it('shares one ONNX session between streams, keeps their state apart, and releases it after the last closes', async () => {
    const vad = new SileroVad();
    const speech$ = new Subject<AudioFrame>();
    const silence$ = new Subject<AudioFrame>();
    const speechEvents = lastValueFrom(vad.detect(speech$).pipe(toArray()));
    const silenceEvents = lastValueFrom(vad.detect(silence$).pipe(toArray()));
    expect(liveSessionCount()).toBe(1);
    const speech = sequence(500, fliteSpeech(workspace.dir, 'hello there', 'rms'), 900);
    const frames = toFrames(speech);
    const quiet = toFrames(sequence(speech.length / 16));
    frames.forEach((frame, i) => {
      speech$.next(frame);
      silence$.next(quiet[i]!);
    });
    speech$.complete();
    expect((await speechEvents).map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    expect(liveSessionCount()).toBe(1);
    silence$.complete();
    expect(await silenceEvents).toEqual([]);
    expect(liveSessionCount()).toBe(0);
  });

  it('releases the session when unsubscribed mid-speech and emits nothing after', async () => {
    const audio$ = new Subject<AudioFrame>();
    const seen: VadEvent[] = [];
    const subscription = new SileroVad().detect(audio$).subscribe((e) => seen.push(e));
    const frames = toFrames(
      sequence(300, fliteSpeech(workspace.dir, 'tell me a story about a dragon', 'rms')),
    );
    for (const frame of frames.slice(0, 50)) audio$.next(frame);
    await vi.waitFor(() => expect(seen.map((e) => e.type)).toEqual(['speech-start']), { timeout: 30_000 });
    expect(liveSessionCount()).toBe(1);
    subscription.unsubscribe();
    for (const frame of frames.slice(50)) audio$.next(frame);
    expect(audio$.observed).toBe(false);
    await sessionsReleased();
    expect(seen).toHaveLength(1);
  });
});

describe('SileroVad bad input', () => {
  const frame = (overrides: object) => ({
    samples: new Int16Array(512),
    sampleRate: 16000,
    channels: 1,
    startMs: 0,
    ...overrides,
  });

  it.each([
    ['an 8 kHz frame', { sampleRate: 8000 }, /sampleRate 8000/],
    ['a stereo frame', { channels: 2 }, /2 channels/],
    ['float samples', { samples: new Float32Array(512) }, /Int16Array/],
    ['a NaN position', { startMs: Number.NaN }, /startMs NaN/],
  ])(
    'errors the stream with an AudioFormatError for %s and releases the session',
    async (_, overrides, message) => {
      const error = await detectAll([frame({}), frame({ startMs: 32, ...overrides })] as AudioFrame[]).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AudioFormatError);
      expect((error as VoxError).code).toBe('audio_format');
      expect((error as Error).message).toMatch(message);
      await sessionsReleased();
    },
  );

  it('errors with a ProviderUnavailableError when the model file cannot be loaded', async () => {
    const error = await detectAll(sequence(100), { modelPath: '/nonexistent/silero.onnx' }).catch(
      (e: unknown) => e,
    );
    expect(VoxError.isInstance(error)).toBe(true);
    expect((error as VoxError).code).toBe('provider_unavailable');
    expect((error as Error).message).toContain('/nonexistent/silero.onnx');
    await sessionsReleased();
  });

  it('throws a ConfigError for thresholds that make no sense', () => {
    expect(() => new SileroVad({ threshold: 0.3, negativeThreshold: 0.6 })).toThrow(/negativeThreshold/);
    expect(() => new SileroVad({ threshold: 1.5 })).toThrow(/threshold/);
    expect(() => new SileroVad({ minSilenceMs: 300, pauseMs: 300 })).toThrow(/pauseMs/);
  });
});
