import type { TokenAudioPart } from '@voxduplex/testing-google';

/** A long conversation in token audio, with the finals a perfect recognizer must produce. */
export interface Conversation {
  readonly parts: TokenAudioPart[];
  readonly finals: { text: string; startMs: number; endMs: number }[];
  readonly durationMs: number;
}

/**
 * `durationMs` of speech and pauses: utterances of 1–6 words (200 ms each), pauses of 0.4–4 s, every
 * word a fresh token so a repeated final cannot hide. A seeded generator keeps it the same every run.
 */
export function conversation(durationMs: number, seed = 7): Conversation {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const parts: TokenAudioPart[] = [];
  const finals: Conversation['finals'] = [];
  let at = 0;
  let token = 1;
  while (true) {
    const pauseMs = 400 + Math.round(random() * 36) * 100;
    const words = 1 + Math.floor(random() * 6);
    if (at + pauseMs + words * 200 + 400 > durationMs) break;
    parts.push({ silenceMs: pauseMs });
    at += pauseMs;
    const say = Array.from({ length: words }, () => token++);
    parts.push({ say });
    finals.push({ text: say.map((t) => `w${t}`).join(' '), startMs: at, endMs: at + words * 200 });
    at += words * 200;
  }
  parts.push({ silenceMs: durationMs - at });
  return { parts, finals, durationMs };
}
