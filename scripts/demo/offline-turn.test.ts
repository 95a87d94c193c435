import { SystemDependencyError } from '@voxduplex/core';
import {
  decodeWav,
  encodeWav,
  fromInt16,
  resample,
  speakAsUser,
  toInt16,
  voicedSpan,
} from '@voxduplex/offline-e2e';
import { liveDecoderCount } from '@voxduplex/stt-pocketsphinx';
import { describe, expect, it, vi } from 'vitest';
import { fatalMessage } from './offline-session';
import { runWavTurn } from './offline-turn';

vi.setConfig({ testTimeout: 60_000 });

/** A 22.05 kHz stereo WAV of a question in the `awb` voice: not what the recognizer takes as is. */
async function stereoQuestion(text: string): Promise<Uint8Array> {
  const [mono] = await speakAsUser([text], 'awb');
  const upsampled = toInt16(resample(fromInt16(mono!), 16000, 22050));
  const stereo = new Int16Array(upsampled.length * 2);
  upsampled.forEach((value, i) => {
    stereo[2 * i] = value;
    stereo[2 * i + 1] = value;
  });
  return encodeWav(stereo, 22050, 2);
}

describe('npm run demo -- --input question.wav --output reply.wav', () => {
  it('answers a 22 kHz stereo recording and returns the spoken reply as a 16 kHz mono WAV', async () => {
    const result = await runWavTurn(await stereoQuestion('what time is it'));

    expect(result.question).toContain('time');
    expect(result.replyText).toContain("That's the time on this machine's clock.");
    const reply = decodeWav(result.replyWav);
    expect(reply).toMatchObject({ sampleRate: 16000, channels: 1 });
    expect(reply.samples.length).toBe(result.reply.length);
    expect(voicedSpan(result.reply)).toBeDefined();
    expect(result.reply.length / 16000).toBeGreaterThan(2); // a dozen words of speech
    expect(result.metrics).toMatchObject({ interrupted: false });
    expect(typeof result.metrics.serverTtfaMs).toBe('number');
    expect(typeof result.metrics.voiceToVoiceMs).toBe('number');
    await vi.waitFor(() => expect(liveDecoderCount()).toBe(0), { timeout: 20_000 });
  });

  it('stops with the apt-get line, not a stack trace, when PocketSphinx is missing', async () => {
    const question = encodeWav(
      toInt16(Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(i / 5))),
      16000,
    );
    const failure = await runWavTurn(question, {
      stack: {
        stt: {
          libraryPaths: {
            pocketsphinx: '/nonexistent/libpocketsphinx.so.3',
            sphinxbase: 'libsphinxbase.so.3',
          },
        },
      },
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SystemDependencyError);
    const message = fatalMessage(failure);
    expect(message).toContain('apt-get install');
    expect(message).toContain('scripts/setup.sh');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('refuses a silent file before loading any engine', async () => {
    await expect(runWavTurn(encodeWav(new Int16Array(16000), 16000))).rejects.toThrow(/silent/);
  });
});
