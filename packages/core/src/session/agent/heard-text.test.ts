import { describe, expect, it } from 'vitest';
import { HeardTextTracker } from './heard-text';

function tracker() {
  const heard = new HeardTextTracker();
  heard.addSentence({ index: 0, displayText: 'One two three four.' });
  heard.addSentence({ index: 1, displayText: 'Five six seven eight.' });
  heard.addAudio({ sentenceIndex: 0, offsetMs: 0, durationMs: 1000 });
  return heard;
}

describe('HeardTextTracker', () => {
  it('keeps whole sentences played and the started share of the current one', () => {
    const heard = tracker();
    heard.addAudio({ sentenceIndex: 1, offsetMs: 1000, durationMs: 1000 });
    heard.complete();
    expect(heard.heardText(0)).toBe('');
    expect(heard.heardText(500)).toBe('One two');
    expect(heard.heardText(1000)).toBe('One two three four.');
    expect(heard.heardText(1750)).toBe('One two three four. Five six seven');
    expect(heard.heardText(5000)).toBe('One two three four. Five six seven eight.');
  });

  it('never counts words of a sentence whose audio was not made yet', () => {
    const heard = tracker();
    // Only 100 ms of the second sentence exist; its pace follows the first (≈ 53 ms a char).
    heard.addAudio({ sentenceIndex: 1, offsetMs: 1000, durationMs: 100 });
    expect(heard.heardText(1100)).toBe('One two three four.');
    expect(heard.heardText(1600)).toBe('One two three four. Five six');
  });

  it('uses word timings from the TTS when it gave them', () => {
    const heard = new HeardTextTracker();
    heard.addSentence({ index: 0, displayText: 'Hello big world.' });
    heard.addAudio({
      sentenceIndex: 0,
      offsetMs: 0,
      durationMs: 1000,
      words: [
        { word: 'Hello', startMs: 0, durationMs: 100 },
        { word: 'big', startMs: 800, durationMs: 50 },
        { word: 'world', startMs: 900, durationMs: 100 },
      ],
    });
    heard.complete();
    expect(heard.heardText(700)).toBe('Hello');
    expect(heard.heardText(850)).toBe('Hello big');
  });
});
