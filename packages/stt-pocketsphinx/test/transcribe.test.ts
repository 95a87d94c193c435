import { AudioFormatError, type SttEvent, VoxError } from '@voxduplex/core';
import { FakeVad } from '@voxduplex/core/testing';
import { audioWorkspace, fliteSpeech, loudSpan, sequence, toFrames } from '@voxduplex/test-support';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { liveDecoderCount, PocketsphinxStt } from '../src/index';

const workspace = audioWorkspace();
afterAll(() => workspace.remove());

const transcribeAll = (stt: PocketsphinxStt, samples: Int16Array) =>
  lastValueFrom(stt.transcribe(from(toFrames(samples))).pipe(toArray()));
const finals = (events: SttEvent[]) => events.flatMap((e) => (e.type === 'final' ? [e.transcript.text] : []));
const decodersFreed = () => vi.waitFor(() => expect(liveDecoderCount()).toBe(0), { timeout: 30_000 });

// Real decoding: a model load is 0.5 s on an idle core and several seconds on a busy machine.
vi.setConfig({ testTimeout: 90_000 });

describe('PocketsphinxStt on Flite speech', () => {
  it('hears a spoken question: key words in the final, interims first, speech start and end around the voice', async () => {
    const speech = fliteSpeech(workspace.dir, 'what is the weather like today', 'rms');
    const audio = sequence(800, speech, 1200);
    const truth = loudSpan(speech, 800);

    const events = await transcribeAll(new PocketsphinxStt(), audio);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('speech-start');
    const finalAt = types.indexOf('final');
    expect(types.indexOf('interim')).toBeGreaterThan(0);
    expect(types.indexOf('interim')).toBeLessThan(finalAt);
    expect(types.indexOf('speech-end')).toBeLessThan(finalAt);
    const text = finals(events).join(' ');
    expect(text).toContain('weather');
    expect(text).toContain('today');
    const start = events.find((e) => e.type === 'speech-start')!;
    const end = events.find((e) => e.type === 'speech-end')!;
    expect(start.atMs).toBeGreaterThan(truth.onsetMs - 300);
    expect(start.atMs).toBeLessThan(truth.onsetMs + 300);
    expect(end.atMs).toBeGreaterThan(truth.offsetMs - 300);
    expect(end.atMs).toBeLessThan(truth.offsetMs + 400);
    const final = events.find((e) => e.type === 'final')!;
    expect(final.transcript).toMatchObject({ isFinal: true, startMs: start.atMs, endMs: end.atMs });
    expect(liveDecoderCount()).toBe(0); // freed before the stream completed
  });

  it('splits two sentences separated by a pause into two finals, in order', async () => {
    const first = fliteSpeech(workspace.dir, 'please tell me a story', 'awb');
    const second = fliteSpeech(workspace.dir, 'what time is it', 'awb');
    const events = await transcribeAll(
      new PocketsphinxStt({ endpointSilenceMs: 400 }),
      sequence(400, first, 1000, second, 700),
    );

    const said = finals(events);
    expect(said).toHaveLength(2);
    expect(said[0]).toContain('story');
    expect(said[1]).toContain('time');
    const marks = events.filter((e) => e.type === 'speech-start' || e.type === 'speech-end');
    expect(marks.map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'speech-start', 'speech-end']);
    const times = marks.map((e) => (e.type === 'speech-start' || e.type === 'speech-end' ? e.atMs : 0));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('accepts frames of any length, and flushes the last final when the audio ends mid-sentence', async () => {
    const speech = sequence(500, fliteSpeech(workspace.dir, 'tell me a story about a dragon', 'rms'));
    const frames = [];
    for (let at = 0, size = 1; at < speech.length; at += size, size = (size * 7 + 13) % 997 || 1) {
      frames.push({ samples: speech.slice(at, at + size), sampleRate: 16000, channels: 1, startMs: at / 16 });
    }
    const events = await lastValueFrom(new PocketsphinxStt().transcribe(from(frames)).pipe(toArray()));
    expect(events.at(-2)?.type).toBe('speech-end');
    expect(events.at(-1)?.type).toBe('final');
    expect(finals(events).join(' ')).toContain('dragon');
  });
});

describe('PocketsphinxStt search modes', () => {
  it('recognizes only the sentences of a JSGF grammar', async () => {
    const grammar = `#JSGF V1.0;
grammar robot;
public <move> = go <direction> <distance> meters;
<direction> = forward | backward;
<distance> = one | two | three | four | five | ten;`;
    const speech = fliteSpeech(workspace.dir, 'go backward three meters', 'rms');
    const stt = new PocketsphinxStt({ search: { type: 'jsgf-text', grammar } });
    const events = await transcribeAll(stt, sequence(300, speech, 700));
    expect(finals(events)).toEqual(['go backward three meters']);
  });

  it('reads a short utterance again among the phraseReading phrases, and gives the phrase as the final’s alternative', async () => {
    const stt = new PocketsphinxStt({
      // A phrase with a word the dictionary lacks is left out, not an error.
      phraseReading: { phrases: ['stop', 'mm-hmm', 'zzqxv wibble'], maxSpeechMs: 1000 },
    });
    const short = fliteSpeech(workspace.dir, 'top', 'rms');
    const long = fliteSpeech(workspace.dir, 'what is the weather like today in the city', 'rms');
    const events = await transcribeAll(stt, sequence(500, short, 1200, long, 1200));
    const transcripts = events.flatMap((e) => (e.type === 'final' ? [e.transcript] : []));
    expect(transcripts).toHaveLength(2);
    // The open model hears "top"; among "stop" and "mm-hmm", the same sound is "stop".
    expect(transcripts[0]!.text).not.toBe('stop');
    expect(transcripts[0]!.alternatives).toEqual(['stop']);
    // Longer than maxSpeechMs: not read again.
    expect(transcripts[1]!.text).toContain('weather');
    expect(transcripts[1]!.alternatives).toBeUndefined();
    await decodersFreed();
  });

  it('spots a key phrase and ignores other speech', async () => {
    const stt = new PocketsphinxStt({
      search: { type: 'keyphrase', keyphrase: 'hello computer', threshold: 1e-20 },
    });
    const other = fliteSpeech(workspace.dir, 'the sky is blue', 'rms');
    const phrase = fliteSpeech(workspace.dir, 'hello computer', 'rms');
    const events = await transcribeAll(stt, sequence(300, other, 900, phrase, 700));
    const said = finals(events);
    expect(said.some((text) => text.includes('hello computer'))).toBe(true);
    expect(said.every((text) => /^(hello computer\s*)+$/.test(text))).toBe(true);
  });
});

describe('PocketsphinxStt endpointing driven by a VAD', () => {
  it('takes speech start and end from the VAD and emits the final after the VAD end', async () => {
    const speech = fliteSpeech(workspace.dir, 'what is the weather like today', 'rms');
    const audio = sequence(600, speech, 1000);
    const vad = new FakeVad({ utterances: [{ text: 'weather', startMs: 700, durationMs: 2000 }] });
    const events = await transcribeAll(new PocketsphinxStt({ vad }), audio);

    const marks = events.filter((e) => e.type === 'speech-start' || e.type === 'speech-end');
    expect(marks).toEqual([
      { type: 'speech-start', atMs: 700 },
      { type: 'speech-end', atMs: 2700 },
    ]);
    const final = events.find((e) => e.type === 'final')!;
    expect(events.indexOf(final)).toBeGreaterThan(events.indexOf(marks[1]!));
    expect(final.transcript.text).toContain('weather');
    expect(final.transcript).toMatchObject({ startMs: 700, endMs: 2700 });
    expect(vad.streams.open).toBe(0);
  });

  it('says the VAD’s speech start at once, before the decoder has caught up with the audio', async () => {
    const audio$ = new Subject<ReturnType<typeof toFrames>[number]>();
    const vad = new FakeVad({ utterances: [{ text: 'weather', startMs: 700, durationMs: 2000 }] });
    const seen: SttEvent[] = [];
    const subscription = new PocketsphinxStt({ vad }).transcribe(audio$).subscribe((e) => seen.push(e));
    try {
      const frames = toFrames(
        sequence(600, fliteSpeech(workspace.dir, 'what is the weather like today', 'rms')),
      );
      // The frames arrive faster than any decoder: barge-in must not wait for it to catch up.
      const startFrame = frames.findIndex((frame) => frame.startMs >= 700);
      for (const frame of frames.slice(0, startFrame + 1)) audio$.next(frame);
      expect(seen).toEqual([{ type: 'speech-start', atMs: 700 }]);
      for (const frame of frames.slice(startFrame + 1)) audio$.next(frame);
      await vi.waitFor(() => expect(seen.some((e) => e.type === 'interim')).toBe(true), { timeout: 30_000 });
      expect(seen.filter((e) => e.type === 'speech-start')).toHaveLength(1);
    } finally {
      subscription.unsubscribe();
    }
    await decodersFreed();
  });
});

describe('PocketsphinxStt teardown', () => {
  it('frees the decoder when unsubscribed in the middle of an utterance', async () => {
    const audio$ = new Subject<ReturnType<typeof toFrames>[number]>();
    const seen: SttEvent[] = [];
    const subscription = new PocketsphinxStt().transcribe(audio$).subscribe((e) => seen.push(e));
    const frames = toFrames(
      sequence(300, fliteSpeech(workspace.dir, 'tell me a story about a dragon', 'rms')),
    );
    for (const frame of frames.slice(0, 60)) audio$.next(frame);
    try {
      await vi.waitFor(() => expect(seen.some((e) => e.type === 'interim')).toBe(true), { timeout: 30_000 });
      expect(liveDecoderCount()).toBe(1);
    } finally {
      subscription.unsubscribe();
    }
    const countAfter = seen.length;
    for (const frame of frames.slice(60)) audio$.next(frame);
    await decodersFreed();
    expect(seen.length).toBe(countAfter);
    expect(audio$.observed).toBe(false);
  });

  it('frees a decoder whose model was still loading when unsubscribed', async () => {
    const subscription = new PocketsphinxStt().transcribe(new Subject()).subscribe();
    expect(liveDecoderCount()).toBe(1);
    subscription.unsubscribe();
    expect(liveDecoderCount()).toBe(1);
    await decodersFreed();
  });

  it('runs streams side by side, each with its own decoder: words in one, silence in the other', async () => {
    const speech = sequence(300, fliteSpeech(workspace.dir, 'what time is it', 'awb'), 800);
    const stt = new PocketsphinxStt();
    const speech$ = new Subject<ReturnType<typeof toFrames>[number]>();
    const silence$ = new Subject<ReturnType<typeof toFrames>[number]>();
    const heard = lastValueFrom(stt.transcribe(speech$).pipe(toArray()));
    const quiet = lastValueFrom(stt.transcribe(silence$).pipe(toArray()));
    expect(liveDecoderCount()).toBe(2);
    const silentFrames = toFrames(sequence(speech.length / 16));
    toFrames(speech).forEach((frame, i) => {
      speech$.next(frame);
      silence$.next(silentFrames[i]!);
    });
    speech$.complete();
    silence$.complete();
    expect(finals(await heard).join(' ')).toContain('time');
    expect(await quiet).toEqual([]);
    expect(liveDecoderCount()).toBe(0); // each freed its decoder before completing
  });
});

describe('PocketsphinxStt bad input', () => {
  const frame = (overrides: object) => ({
    samples: new Int16Array(320),
    sampleRate: 16000,
    channels: 1,
    startMs: 0,
    ...overrides,
  });

  it.each([
    ['a 48 kHz frame', { sampleRate: 48000 }, /sampleRate 48000/],
    ['bytes instead of Int16 samples', { samples: new Uint8Array(641) }, /Int16Array/],
  ])(
    'errors the stream with an AudioFormatError for %s and frees the decoder',
    async (_, overrides, message) => {
      const audio$ = from([frame({}), frame({ startMs: 20, ...overrides })]);
      const error = await lastValueFrom(new PocketsphinxStt().transcribe(audio$)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AudioFormatError);
      expect((error as VoxError).code).toBe('audio_format');
      expect((error as Error).message).toMatch(message);
      await decodersFreed();
    },
  );

  it('passes an upstream error through as a VoxError and frees the decoder', async () => {
    const audio$ = new Subject<ReturnType<typeof toFrames>[number]>();
    const result = lastValueFrom(new PocketsphinxStt().transcribe(audio$)).catch((e: unknown) => e);
    audio$.next(frame({}));
    audio$.error(new Error('microphone unplugged'));
    const error = await result;
    expect(VoxError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('microphone unplugged');
    await decodersFreed();
  });
});
