import type { PlaybackAck, SpeechAudio } from '@voxduplex/core';
import { sineTone } from '@voxduplex/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamCommand } from '../stream/media-stream';
import { PhonePlayout } from './phone-playout';

function chunk(speechId: string, durationMs: number, seq = 0, offsetMs = 0): SpeechAudio {
  return {
    turnId: 't',
    speechId,
    samples: sineTone(durationMs, 16_000, { phaseSamples: offsetMs * 16 }),
    sampleRate: 16_000,
    channels: 1,
    seq,
    offsetMs,
    durationMs,
    sentenceIndex: 0,
  };
}

/** A playout on fake timers, with what it sent and what it told the session. */
function setUp(leadMs = 100) {
  const sent: (StreamCommand & { at: number })[] = [];
  const heard: string[] = [];
  const acks: PlaybackAck[] = [];
  const playout = new PhonePlayout({
    leadMs,
    now: () => Date.now(),
    send: (command) => sent.push({ ...command, at: Date.now() }),
    listener: {
      playbackStarted: (id) => heard.push(`started ${id}`),
      playbackAck: (ack) => acks.push(ack),
      playbackFinished: (id) => heard.push(`finished ${id}`),
    },
  });
  const media = () => sent.filter((c) => c.type === 'media');
  const marks = () => sent.flatMap((c) => (c.type === 'mark' ? [c.name] : []));
  return { playout, sent, heard, acks, media, marks };
}

describe('phone playout', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the lead at once, then one 20 ms frame every 20 ms, each followed by a mark', () => {
    const { playout, sent, media } = setUp(100);
    playout.audio(chunk('s1', 1000));
    playout.generated('s1');
    // A start mark, then 5 frames (100 ms lead), each with its mark.
    expect(sent.map((c) => c.type)).toEqual(['mark', ...Array(5).fill(['media', 'mark']).flat()]);
    vi.advanceTimersByTime(400);
    expect(media().length).toBeGreaterThanOrEqual(24);
    expect(media().length).toBeLessThanOrEqual(26);
    expect(media().every((c) => c.type === 'media' && c.payload.length === 160)).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(media()).toHaveLength(50);
    expect(sent.at(-1)?.type).toBe('mark');
    playout.close();
  });

  it('acks exactly the frames whose marks came back: started, played ms, finished', () => {
    const { playout, heard, acks, marks } = setUp(100);
    playout.audio(chunk('s1', 70));
    playout.generated('s1');
    // start, 3 full frames, the padded last 10 ms, end.
    expect(marks()).toHaveLength(6);
    const [start, first, second, third, last, end] = marks();
    playout.markEchoed(start!);
    playout.markEchoed(first!);
    playout.markEchoed(second!);
    expect(heard).toEqual(['started s1']);
    expect(acks).toEqual([
      { speechId: 's1', playedMs: 20 },
      { speechId: 's1', playedMs: 40 },
    ]);
    playout.markEchoed(third!);
    playout.markEchoed(last!);
    playout.markEchoed(end!);
    expect(acks.at(-1)).toEqual({ speechId: 's1', playedMs: 70 });
    expect(heard).toEqual(['started s1', 'finished s1']);
    expect(playout.markEchoed('vx-999')).toBe(false);
  });

  it('clears at once on interrupt, ignores the echoes of cleared marks and sends nothing more of that speech', () => {
    const { playout, sent, acks, marks, media } = setUp(100);
    playout.audio(chunk('s1', 1000));
    vi.advanceTimersByTime(200);
    const [, first, second] = marks();
    playout.markEchoed(first!);
    playout.markEchoed(second!);
    const before = sent.length;
    playout.control({ type: 'interrupt', speechId: 's1', source: 'user_turn' });
    expect(sent.slice(before).map((c) => c.type)).toEqual(['clear']);
    // Twilio echoes every mark still queued when a clear arrives: none of them is "played".
    for (const name of marks().slice(3)) expect(playout.markEchoed(name)).toBe(false);
    expect(acks).toEqual([
      { speechId: 's1', playedMs: 20 },
      { speechId: 's1', playedMs: 40 },
    ]);
    const sentMedia = media().length;
    playout.audio(chunk('s1', 100, 1, 1000));
    vi.advanceTimersByTime(1000);
    expect(media()).toHaveLength(sentMedia);
    expect(playout.stats.clears).toBe(1);
  });

  it('on pause clears the line and on resume plays on from the last frame the caller heard', () => {
    const { playout, sent, marks } = setUp(100);
    playout.audio(chunk('s1', 400));
    playout.generated('s1');
    vi.advanceTimersByTime(60);
    const echoed = marks().slice(0, 3); // start + 2 frames
    for (const name of echoed) playout.markEchoed(name);
    const frames = sent
      .filter((c) => c.type === 'media')
      .map((c) => (c.type === 'media' ? c.payload : undefined));
    playout.control({ type: 'pause', speechId: 's1', source: 'audio_activity' });
    expect(sent.at(-1)?.type).toBe('clear');
    const paused = sent.length;
    vi.advanceTimersByTime(500);
    expect(sent.length).toBe(paused);
    playout.control({ type: 'resume', speechId: 's1' });
    const resumed = sent.slice(paused).filter((c) => c.type === 'media');
    // The first frame after resume is the third frame of the speech: the first unheard one.
    expect(resumed[0]?.type === 'media' && resumed[0].payload).toEqual(frames[2]);
    vi.advanceTimersByTime(1000);
    expect(sent.filter((c) => c.type === 'media')).toHaveLength(frames.length - 2 + 20);
  });

  it('counts a frame as late only when the line ran dry while it waited', () => {
    const { playout } = setUp(100);
    playout.audio(chunk('s1', 300));
    vi.advanceTimersByTime(1000);
    expect(playout.stats.lateFrames).toBe(0);
    // TTS slower than real time: the line runs dry, but the next frame was not ready then.
    playout.audio(chunk('s1', 100, 1, 300));
    vi.advanceTimersByTime(1000);
    expect(playout.stats.lateFrames).toBe(0);
    // The event loop stalls 300 ms with audio ready: the caller hears a gap.
    playout.audio(chunk('s1', 1000, 2, 400));
    vi.setSystemTime(Date.now() + 300);
    vi.advanceTimersByTime(20);
    expect(playout.stats.lateFrames).toBe(1);
    playout.close();
  });
});
