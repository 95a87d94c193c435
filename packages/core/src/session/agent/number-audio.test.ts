import { from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SpeechAudio } from '../../frames/agent';
import type { SpeechChunk } from '../pipeline/stages';
import { numberAudio } from './number-audio';

const ref = { turnId: 't1', speechId: 's1' };
const pcm = (ms: number) => new Int16Array(16 * ms);

describe('numberAudio', () => {
  it('stamps ids, seq, offset and duration from the samples, whatever the stage set', () => {
    let audio: SpeechAudio[] = [];
    from<SpeechChunk[]>([
      { samples: pcm(20), sampleRate: 16000, sentenceIndex: 0 },
      {
        samples: pcm(40),
        sampleRate: 16000,
        sentenceIndex: 1,
        words: [{ word: 'hi', startMs: 0, durationMs: 10 }],
      },
    ])
      .pipe(
        numberAudio(ref, 'speech', () => 5),
        toArray(),
      )
      .subscribe((all) => (audio = all));
    expect(
      audio.map((a) => [a.turnId, a.speechId, a.seq, a.offsetMs, a.durationMs, a.sentenceIndex]),
    ).toEqual([
      ['t1', 's1', 0, 0, 20, 0],
      ['t1', 's1', 1, 20, 40, 1],
    ]);
    expect(audio[1]!.words).toHaveLength(1);
  });

  it('gives a chunk without sentenceIndex to the latest sentence', () => {
    let audio: SpeechAudio[] = [];
    from<SpeechChunk[]>([{ samples: pcm(10), sampleRate: 16000 }])
      .pipe(
        numberAudio(ref, 'speech', () => 3),
        toArray(),
      )
      .subscribe((all) => (audio = all));
    expect(audio[0]!.sentenceIndex).toBe(3);
  });

  it('refuses audio that is not Int16 PCM with an error naming the stage', () => {
    let failure: unknown;
    from([{ samples: new Float32Array(10), sampleRate: 16000 } as unknown as SpeechChunk])
      .pipe(numberAudio(ref, 'audioOut', () => 0))
      .subscribe({ error: (e) => (failure = e) });
    expect(failure).toMatchObject({
      source: 'pipeline:audioOut',
      message: expect.stringContaining('Int16Array'),
    });
  });
});
