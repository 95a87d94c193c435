import { describe, expect, it } from 'vitest';
import { UtteranceDetector, utteranceAudio } from './utterance';

describe('UtteranceDetector', () => {
  it('finds an utterance, its id and its span, however the audio is cut', () => {
    const audio = new Int16Array(16000 * 2);
    audio.set(utteranceAudio(42, 500), 8000);
    for (const piece of [160, 1000, 32000]) {
      const detector = new UtteranceDetector({ sampleRate: 16000, silenceMs: 300, hypothesisEveryMs: 200 });
      const events = [];
      for (let at = 0; at < audio.length; at += piece)
        events.push(...detector.push(audio.subarray(at, at + piece)));
      expect(events[0]).toEqual({ type: 'start', startSample: 8000 });
      expect(events.filter((e) => e.type === 'hypothesis')).toHaveLength(2);
      expect(events.at(-1)).toEqual({ type: 'phrase', id: 42, startSample: 8000, endSample: 16000 });
    }
  });

  it('closes an utterance still open at the end of the audio', () => {
    const detector = new UtteranceDetector({ sampleRate: 16000, silenceMs: 300, hypothesisEveryMs: 200 });
    detector.push(utteranceAudio(3, 100));
    expect(detector.isInSpeech).toBe(true);
    expect(detector.flush()).toEqual([{ type: 'phrase', id: 3, startSample: 0, endSample: 1600 }]);
  });

  it('refuses ids it cannot encode', () => {
    expect(() => utteranceAudio(-1, 10)).toThrow(RangeError);
    expect(() => utteranceAudio(40000, 10)).toThrow(RangeError);
  });
});
