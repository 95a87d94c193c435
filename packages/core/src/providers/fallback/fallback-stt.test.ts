import { Subject, throwError, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ProviderUnavailableError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import type { AudioFrame } from '../../frames/audio';
import type { SttEvent } from '../../frames/transcript';
import { FakeStt } from '../../testing/fake-stt';
import type { ScriptedUtterance } from '../../testing/script';
import { silence } from '../../testing/tone';
import type { SttProvider } from '../stt';
import type { FallbackOptions } from './fallback-options';
import { type FallbackStt, fallbackStt } from './fallback-stt';

const UTTERANCES: ScriptedUtterance[] = [
  { text: 'hello there', startMs: 500 }, // 500–1100, final at 1200
  { text: 'what is the weather', startMs: 2000 }, // 2000–3200, final at 3300
  { text: 'thank you', startMs: 4000 }, // 4000–4600, final at 4700
];
const dropped = () => new ProviderUnavailableError('stream dropped', { source: 'stt:primary' });

/**
 * A microphone streaming `frameMs` frames in real time into a chain of two fake recognizers
 * that hear the same script; everything on one virtual clock.
 */
function listen(
  options: { frameMs?: number; micMs?: number; primary?: SttProvider } & Omit<
    FallbackOptions<SttProvider>,
    'scheduler'
  > = {},
) {
  const { frameMs = 20, micMs = 6000, primary, ...chainOptions } = options;
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const a = new FakeStt({ name: 'primary', utterances: UTTERANCES, scheduler });
  const b = new FakeStt({ name: 'backup', utterances: UTTERANCES, scheduler });
  const stt: FallbackStt = fallbackStt([primary ?? a, b], { ...chainOptions, scheduler });
  const mic = new Subject<AudioFrame>();
  const events: (SttEvent & { at: number })[] = [];
  let failure: VoxError | undefined;
  let isComplete = false;
  const stream = stt.transcribe(mic).subscribe({
    next: (event) => events.push({ ...event, at: scheduler.now() }),
    error: (error: VoxError) => (failure = error),
    complete: () => (isComplete = true),
  });
  for (let startMs = 0; startMs < micMs; startMs += frameMs)
    scheduler.schedule(
      () => mic.next({ samples: silence(frameMs, 16000), sampleRate: 16000, channels: 1, startMs }),
      startMs + frameMs,
    );
  scheduler.schedule(() => mic.complete(), micMs + frameMs);
  return {
    scheduler,
    a,
    b,
    stt,
    stream,
    events,
    at(ms: number, action: () => void) {
      scheduler.schedule(action, ms - scheduler.now());
    },
    run() {
      scheduler.flush();
    },
    finals: () => events.flatMap((e) => (e.type === 'final' ? [e.transcript.text] : [])),
    failure: () => failure,
    isComplete: () => isComplete,
  };
}

describe('fallbackStt', () => {
  it('moves a failing stream to the next recognizer with the audio since the last final: the words being spoken are heard, no final is lost or repeated', () => {
    const c = listen({ probe: { initialDelayMs: 60_000 } });
    c.at(2600, () => c.a.fail(dropped())); // mid "what is the weather"
    c.run();
    expect(c.finals()).toEqual(['hello there', 'what is the weather', 'thank you']);
    expect(
      c.events.filter((e) => e.type === 'speech-start').map((e) => e.type === 'speech-start' && e.atMs),
    ).toEqual([500, 2000, 4000]);
    // The backup heard the audio from the end of the last final (1100 ms) on, then the live audio.
    expect(c.b.framesReceived).toBe((6000 - 1100) / 20);
    expect(c.failure()).toBeUndefined();
    expect(c.isComplete()).toBe(true);
    expect(c.a.streams.open + c.b.streams.open).toBe(0);
  });

  it('drops what the next recognizer says about audio a final already covered (a replayed frame straddling its end)', () => {
    // 40 ms frames: the frame 1080–1120 holds the end of "hello there" (1100) and is replayed.
    const c = listen({ frameMs: 40, micMs: 3600 });
    c.at(1300, () => c.a.fail(dropped()));
    c.run();
    expect(c.finals()).toEqual(['hello there', 'what is the weather']);
    expect(c.events.map((e) => e.type).filter((t) => t === 'speech-start' || t === 'speech-end')).toEqual([
      'speech-start',
      'speech-end',
      'speech-start',
      'speech-end',
    ]);
  });

  it('keeps only the last 3 s of the silence between speeches for the next recognizer', () => {
    const late = [
      { text: 'hello', startMs: 500 }, // 500–800, final at 900
      { text: 'are you there', startMs: 8000 }, // 8000–8900
    ];
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const a = new FakeStt({ name: 'primary', utterances: late, scheduler });
    const b = new FakeStt({ name: 'backup', utterances: late, scheduler });
    const mic = new Subject<AudioFrame>();
    const finals: string[] = [];
    fallbackStt([a, b], { scheduler, probe: { initialDelayMs: 60_000 } })
      .transcribe(mic)
      .subscribe((e) => e.type === 'final' && finals.push(e.transcript.text));
    for (let startMs = 0; startMs < 10_000; startMs += 20)
      scheduler.schedule(
        () => mic.next({ samples: silence(20, 16000), sampleRate: 16000, channels: 1, startMs }),
        startMs + 20,
      );
    scheduler.schedule(() => a.fail(dropped()), 8400);
    scheduler.schedule(() => mic.complete(), 10_100);
    scheduler.flush();
    expect(finals).toEqual(['hello', 'are you there']);
    // The speech started at 8000: the backup is fed from 5000 on, not the 7 s of silence since
    // the last final.
    expect(b.framesReceived).toBe((10_000 - 5000) / 20);
  });

  it('streams to the next recognizer from the start when the first fails while being opened', () => {
    const refusing: SttProvider = {
      specificationVersion: 'v1',
      name: 'primary',
      sampleRate: 16000,
      transcribe: () => throwError(() => dropped()),
    };
    const c = listen({ primary: refusing });
    c.run();
    expect(c.finals()).toEqual(['hello there', 'what is the weather', 'thank you']);
    expect(c.stt.stats().members.map((m) => [m.name, m.isHealthy, m.failures])).toEqual([
      ['primary', false, 1],
      ['backup', true, 0],
    ]);
  });

  it('errors the stream with every cause when each recognizer fails before a final', () => {
    const c = listen();
    c.at(600, () => c.a.fail(dropped()));
    c.at(700, () => c.b.fail(new ProviderUnavailableError('backup down', { source: 'stt:backup' })));
    c.run();
    expect(c.failure()).toBeInstanceOf(ProviderUnavailableError);
    expect(c.failure()?.message).toMatch(/stt:primary: stream dropped; stt:backup: backup down/);
    expect(c.finals()).toEqual([]);
    expect(c.a.streams.open + c.b.streams.open).toBe(0);
    expect(c.scheduler.actions.filter((a) => a.delay > 7000)).toEqual([]);
  });

  it('hands the stream back to a recognizer back in service at the next final', () => {
    const c = listen({ probe: { initialDelayMs: 300 } });
    const health: string[] = [];
    c.stt.health$.subscribe((e) =>
      health.push(e.type === 'switched' ? `switched ${e.from}→${e.to}` : `recovered ${e.provider}`),
    );
    c.at(2600, () => c.a.fail(dropped()));
    c.run();
    // The probe (200 ms of silence) answers at 2900; the backup finishes "what is the weather",
    // and the primary, fed the audio from its end on, recognizes "thank you".
    expect(health).toEqual(['switched primary→backup', 'recovered primary']);
    expect(c.finals()).toEqual(['hello there', 'what is the weather', 'thank you']);
    const lastFinal = c.events.at(-1);
    expect(lastFinal?.type === 'final' && lastFinal.transcript.text).toBe('thank you');
    expect(c.stt.stats().members.map((m) => m.requests)).toEqual([2, 1]);
  });

  it('refuses recognizers that take different sample rates', () => {
    const narrow = new FakeStt({ name: 'phone', sampleRate: 8000 });
    expect(() => fallbackStt([new FakeStt({ name: 'wide' }), narrow])).toThrow(ConfigError);
    expect(() => fallbackStt([])).toThrow(/at least one provider/);
  });
});
