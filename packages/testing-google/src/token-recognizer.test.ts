import { describe, expect, test } from 'vitest';
import { tokenAudio } from './token-audio';
import { type RecognizeResponse, TokenRecognizer } from './token-recognizer';

const config = {
  sampleRate: 16000,
  interimResults: true,
  voiceActivityEvents: true,
  wordTimeOffsets: true,
  languageCode: 'en-US',
};
const bytes = (samples: Int16Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
const seconds = (d: { seconds: string | number; nanos: number } | undefined) =>
  d === undefined ? undefined : Number(d.seconds) + d.nanos / 1e9;
const finals = (responses: RecognizeResponse[]) =>
  responses.flatMap((r) => r.results.filter((x) => x.isFinal).map((x) => x.alternatives[0]?.transcript));

describe('TokenRecognizer', () => {
  test('turns words followed by a pause into begin, interims, end and one final with word times', () => {
    const recognizer = new TokenRecognizer(config, { interimEveryBytes: 6400 });
    const out = recognizer.push(bytes(tokenAudio([{ silenceMs: 100 }, { say: [4, 5] }, { silenceMs: 400 }])));
    expect(out[0]).toMatchObject({ speechEventType: 'SPEECH_ACTIVITY_BEGIN' });
    expect(seconds(out[0]?.speechEventTime)).toBe(0.1);
    expect(
      out
        .filter((r) => r.results[0]?.isFinal === false)
        .map((r) => r.results[0]?.alternatives[0]?.transcript),
    ).toEqual(['w4', 'w4 w5']);
    const end = out.find((r) => r.speechEventType === 'SPEECH_ACTIVITY_END');
    expect(seconds(end?.speechEventTime)).toBe(0.5);
    const final = out.at(-1)!.results[0]!;
    expect(final).toMatchObject({ isFinal: true, alternatives: [{ transcript: 'w4 w5' }] });
    expect(seconds(final.resultEndTime)).toBe(0.5);
    expect(final.alternatives[0]?.words?.map((w) => [seconds(w.startTime), seconds(w.endTime)])).toEqual([
      [0.1, 0.3],
      [0.3, 0.5],
    ]);
  });

  test('gives the same transcript whatever the chunking of the audio', () => {
    const audio = bytes(
      tokenAudio([{ say: [1, 2, 3] }, { silenceMs: 300 }, { say: [9] }, { silenceMs: 300 }]),
    );
    const whole = finals(new TokenRecognizer(config).push(audio));
    const recognizer = new TokenRecognizer(config);
    const pieces: RecognizeResponse[] = [];
    for (let at = 0; at < audio.length; at += 777)
      pieces.push(...recognizer.push(audio.subarray(at, at + 777)));
    expect(whole).toEqual(['w1 w2 w3', 'w9']);
    expect(finals(pieces)).toEqual(whole);
  });

  test('finishes the utterance in progress on flush, and sends nothing when asked for nothing', () => {
    const quiet = new TokenRecognizer({ ...config, interimResults: false, voiceActivityEvents: false });
    expect(quiet.push(bytes(tokenAudio([{ say: [7] }])))).toEqual([]);
    expect(finals(quiet.flush())).toEqual(['w7']);
    expect(quiet.flush()).toEqual([]);
  });
});
