import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectIntent } from '@voxduplex/demo-brain';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAcousticSet } from './build-set';
import { BACKCHANNELS, INTERRUPTIONS, QUESTIONS, STOP_PHRASES } from './catalog';
import type { ClipPlan } from './clip-plan';
import { loadAcousticSet, selectClips } from './load-set';
import { measureSnr } from './mix';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'voxduplex-set-'));
  dirs.push(dir);
  return dir;
}

/** Two questions under clean, pink and babble at 10 dB, and one backchannel voice: a few seconds. */
const subset = (clip: ClipPlan) =>
  (clip.kind === 'question' &&
    (clip.text === 'what time is it' || clip.text === 'tell me a story') &&
    (clip.noise === 'clean' || clip.snrDb === 10) &&
    clip.noise !== 'hum') ||
  (clip.kind === 'backchannel' && clip.text === 'mhm' && clip.voice === 'espeak:en-us+f3');

describe('the acoustic set', () => {
  it('labels every question, interruption and stop phrase with what the demo brain makes of its words', () => {
    for (const utterance of [...QUESTIONS, ...INTERRUPTIONS, ...STOP_PHRASES])
      expect([utterance.text, detectIntent(utterance.text).intent]).toEqual([
        utterance.text,
        utterance.intent,
      ]);
    for (const backchannel of BACKCHANNELS) expect(backchannel.intent).toBeUndefined();
  });

  it('builds a subset deterministically and idempotently, and loads it with its labels', () => {
    const dir = freshDir();
    const first = buildAcousticSet({ dir, only: subset });
    expect(first).toMatchObject({ generated: 7, skipped: 0 });
    expect(buildAcousticSet({ dir, only: subset })).toMatchObject({ generated: 0, skipped: 7 });
    const elsewhere = freshDir();
    buildAcousticSet({ dir: elsewhere, only: subset });

    const set = loadAcousticSet(dir);
    expect(set.clips).toHaveLength(7);
    for (const clip of set.clips) {
      expect(readFileSync(join(dir, clip.file))).toEqual(readFileSync(join(elsewhere, clip.file)));
      expect(clip.samples).toBeInstanceOf(Int16Array);
      expect(clip.samples.length / 16).toBeCloseTo(clip.durationMs, 0);
      expect(clip.speechStartMs).toBeGreaterThanOrEqual(300);
      expect(clip.speechEndMs).toBeGreaterThan(clip.speechStartMs);
      expect(clip.speechEndMs).toBeLessThan(clip.durationMs);
    }
    const noisy = selectClips(set, { kind: 'question', noise: 'pink', snrDb: 10 });
    expect(noisy.map((clip) => [clip.text, clip.intent, clip.voice])).toEqual([
      ['what time is it', 'time', 'flite:rms'],
      ['tell me a story', 'story', 'flite:rms'],
    ]);
    // Each noisy clip is its clean clip plus noise at the stated SNR.
    for (const clip of [...noisy, ...selectClips(set, { noise: 'babble' })]) {
      const clean = set.clips.find((candidate) => candidate.id === clip.cleanId)!;
      expect(Math.abs(measureSnr(clip.samples, clean.samples) - clip.snrDb!)).toBeLessThan(0.5);
    }
    expect(
      selectClips(set, { kind: 'backchannel' }).map((clip) => [clip.text, clip.spoken, clip.snrDb]),
    ).toEqual([['mhm', "[[m'hm]]", null]]);
    // A hum, as people say it: about half a second of voice, not letters read out.
    const [mhm] = selectClips(set, { kind: 'backchannel' });
    expect(mhm!.speechEndMs - mhm!.speechStartMs).toBeLessThan(700);
  });

  it('says how to build the set when there is none', () => {
    expect(() => loadAcousticSet(freshDir())).toThrow(/npm run acoustic-set/);
  });
});
