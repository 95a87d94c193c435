import type { SttEvent } from '@voxduplex/core';
import { audioWorkspace, fliteSpeech, loudSpan, sequence, toFrames } from '@voxduplex/test-support';
import { SileroVad } from '@voxduplex/vad-silero';
import { concatMap, delay, from, lastValueFrom, of, toArray } from 'rxjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { liveDecoderCount, PocketsphinxStt } from '../src/index';

const workspace = audioWorkspace();
afterAll(() => workspace.remove());

function tone(durationMs: number, frequencyHz: number): Int16Array {
  const samples = new Int16Array((durationMs * 16000) / 1000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(10000 * Math.sin((2 * Math.PI * frequencyHz * i) / 16000));
  return samples;
}
vi.setConfig({ testTimeout: 90_000 });
const marks = (events: SttEvent[]) =>
  events.filter((e) => e.type === 'speech-start' || e.type === 'speech-end');

describe('PocketsphinxStt with Silero VAD endpointing', () => {
  it('ignores a beep that its own energy detector takes for speech, and still transcribes the question', async () => {
    const speech = fliteSpeech(workspace.dir, 'what is the weather like today', 'rms');
    const audio = sequence(300, tone(600, 880), 900, speech, 900);
    const truth = loudSpan(speech, 300 + 600 + 900);

    // Paced like a microphone at twice real time, so the VAD's events arrive among the frames.
    const paced$ = from(toFrames(audio)).pipe(concatMap((frame) => of(frame).pipe(delay(10))));
    const withVad = await lastValueFrom(
      new PocketsphinxStt({ vad: new SileroVad() }).transcribe(paced$).pipe(toArray()),
    );

    // PocketSphinx's energy detector would open an utterance on the beep; Silero does not.
    expect(marks(withVad).map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    const [start, end] = marks(withVad) as [
      Extract<SttEvent, { atMs: number }>,
      Extract<SttEvent, { atMs: number }>,
    ];
    expect(Math.abs(start.atMs - truth.onsetMs)).toBeLessThan(150);
    expect(Math.abs(end.atMs - truth.offsetMs)).toBeLessThan(250);
    const types = withVad.map((e) => e.type);
    expect(types.indexOf('interim')).toBeGreaterThan(types.indexOf('speech-start'));
    expect(types.indexOf('interim')).toBeLessThan(types.indexOf('speech-end'));
    const finals = withVad.flatMap((e) => (e.type === 'final' ? [e.transcript.text] : []));
    expect(finals.join(' ')).toContain('weather');
    expect(liveDecoderCount()).toBe(0);
  });

  it('with a VAD that reports pauses, gives the words so far and a speech-pause, then their final, and none for the silence after', async () => {
    const speech = fliteSpeech(workspace.dir, 'what is the weather like today', 'rms');
    const audio = sequence(600, speech, 900);
    // Paced in real time: the pause must reach the decoder before the end does (see below).
    const paced$ = from(toFrames(audio)).pipe(concatMap((frame) => of(frame).pipe(delay(20))));
    const events = await lastValueFrom(
      new PocketsphinxStt({ vad: new SileroVad({ minSilenceMs: 300, pauseMs: 150 }) })
        .transcribe(paced$)
        .pipe(toArray()),
    );

    const types = events.map((e) => e.type);
    const pauseAt = types.lastIndexOf('speech-pause');
    const endAt = types.indexOf('speech-end');
    expect(pauseAt).toBeGreaterThan(types.indexOf('speech-start'));
    // The pause is the start of the silence that then ends the speech, on the same timeline.
    const pause = events[pauseAt] as Extract<SttEvent, { type: 'speech-pause' }>;
    const end = events[endAt] as Extract<SttEvent, { type: 'speech-end' }>;
    expect(pause.atMs).toBe(end.atMs);
    // Words (rough) before the pause, so a session can start its reply; the final after it
    // (the speech end, given without waiting for the decoder, may come first); no final for the
    // silence since the pause.
    const wordsAtPause = events
      .slice(0, pauseAt)
      .flatMap((e) => (e.type === 'interim' ? [e.transcript.text] : []))
      .at(-1);
    expect(wordsAtPause).toMatch(/^what is/);
    expect(types.indexOf('final')).toBeGreaterThan(pauseAt);
    expect(endAt).toBeGreaterThan(pauseAt);
    expect(types.slice(endAt + 1).filter((type) => type === 'interim')).toEqual([]);
    expect(events.flatMap((e) => (e.type === 'final' ? [e.transcript.text] : []))).toEqual([
      expect.stringContaining('weather'),
    ]);
    expect(liveDecoderCount()).toBe(0);
  });

  it('gives the words of each side of a pause the user went on after as a final, in order', async () => {
    const first = fliteSpeech(workspace.dir, 'go forward', 'rms');
    const second = fliteSpeech(workspace.dir, 'then turn left', 'rms');
    const audio = sequence(600, first, 300, second, 1200);
    // Paced in real time: the pause must reach the decoder before the end does (see below).
    const paced$ = from(toFrames(audio)).pipe(concatMap((frame) => of(frame).pipe(delay(20))));
    const events = await lastValueFrom(
      new PocketsphinxStt({ vad: new SileroVad({ minSilenceMs: 800, pauseMs: 150 }) })
        .transcribe(paced$)
        .pipe(toArray()),
    );

    const types = events.map((e) => e.type);
    expect(types.filter((type) => type === 'speech-end')).toHaveLength(1);
    expect(types.indexOf('speech-pause')).toBeLessThan(types.indexOf('speech-end'));
    const finals = events.flatMap((e) => (e.type === 'final' ? [e.transcript.text] : []));
    expect(finals.length).toBeGreaterThanOrEqual(2);
    expect(finals.join(' ')).toMatch(/forward.*left/);
    // A pause inside the sentence (one in the silence that ends it is dropped when the speech
    // end gets there first).
    expect(types.filter((type) => type === 'speech-pause').length).toBeGreaterThanOrEqual(1);
  });
});

describe('PocketsphinxStt phrase reading with Silero VAD endpointing', () => {
  it('reads short utterances from the VAD’s speech start: backchannels as backchannels, stops as stops', async () => {
    const backchannels = ['uh-huh', 'mhm', 'yeah', 'okay', 'right'];
    const stops = ['stop', 'stop it', 'stop that', 'wait', 'hold on', 'never mind'];
    const said: [string, 'rms' | 'awb' | 'slt', 'backchannel' | 'stop'][] = [
      ['uh huh', 'awb', 'backchannel'],
      ['uh huh', 'rms', 'backchannel'],
      ['okay', 'awb', 'backchannel'],
      ['stop', 'awb', 'stop'],
      ['wait', 'rms', 'stop'],
      ['hold on', 'awb', 'stop'],
    ];
    const clips = said.map(([text, voice]) => fliteSpeech(workspace.dir, text, voice));
    // Digital silence between them, as a synthetic test gives: the hardest case for a reading
    // that starts before the voice.
    const audio = sequence(600, ...clips.flatMap((clip) => [clip, 1200]));
    const paced$ = from(toFrames(audio)).pipe(concatMap((frame) => of(frame).pipe(delay(10))));
    const stt = new PocketsphinxStt({
      vad: new SileroVad({ minSilenceMs: 300, pauseMs: 120 }),
      phraseReading: { phrases: [...stops, ...backchannels] },
    });
    const events = await lastValueFrom(stt.transcribe(paced$).pipe(toArray()));

    const heard = events.flatMap((e) =>
      e.type === 'final' ? [e.transcript.alternatives?.[0] ?? e.transcript.text] : [],
    );
    const classOf = (text: string) =>
      stops.includes(text) ? 'stop' : backchannels.includes(text) ? 'backchannel' : `other: ${text}`;
    expect(heard.map(classOf)).toEqual(said.map(([, , kind]) => kind));
    expect(liveDecoderCount()).toBe(0);
  });
});
