// The echo gate's CPU cost (`suppressEcho`, core's default `audioIn` stage with `interruption.echo`
// on): one session's microphone, 20 ms frames at 16 kHz, against agent speech played at the same
// time and its echo in the mic (−12 dB, 80 ms late), with the user talking over it a third of the
// time — every branch of the gate runs (delay search, calibration, learning, user verdicts). The
// figure is per 10 ms of audio, best of five passes over a minute of audio, so a busy moment on
// the machine does not count.
import { loadavg } from 'node:os';
import { type AudioFrame, echoSuppressor, type PlayedAgentAudio } from '@voxduplex/core';
import { type BenchResult, report, result } from './harness';

const RATE = 16_000;
const FRAME_MS = 20;
const BLOCK_MS = 10;
const AUDIO_MS = 60_000;
const PASSES = 5;

/** Speech-like agent energy per 10 ms block: syllables of 150 ms with 50 ms gaps, varying level. */
const agentEnergy = (block: number) => (block % 20 < 15 ? 10 ** ((-20 - (block % 5)) / 10) : 1e-6);

/** A mic frame: the agent's echo (−12 dB, 8 blocks late) plus, a third of the time, the user. */
function micFrame(index: number): AudioFrame {
  const samples = new Int16Array((RATE * FRAME_MS) / 1000);
  const perBlock = samples.length / 2;
  for (let half = 0; half < 2; half++) {
    const block = index * 2 + half;
    const echo = block >= 8 ? agentEnergy(block - 8) * 10 ** (-12 / 10) : 0;
    const user = block % 300 < 100 ? 10 ** (-25 / 10) : 0;
    const amplitude = Math.sqrt(2 * (echo + user)) * 32767;
    for (let i = 0; i < perBlock; i++)
      samples[half * perBlock + i] = Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / RATE));
  }
  return { samples, sampleRate: RATE, channels: 1, startMs: index * FRAME_MS };
}

/** The agent audio "played": the same speech-like energies, block by block, in order. */
function playedAudio(): PlayedAgentAudio {
  let block = 0;
  return {
    playedEnergies(durationMs: number, blockMs: number) {
      const energies = new Float64Array(Math.round(durationMs / blockMs));
      for (let i = 0; i < energies.length; i++) energies[i] = agentEnergy(block++);
      return energies;
    },
  };
}

export default async function echoBench(): Promise<readonly BenchResult[]> {
  const load = () =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  console.log(`echo: load average before ${load()}`);
  const frames = Array.from({ length: AUDIO_MS / FRAME_MS }, (_, i) => micFrame(i));
  let best = Number.POSITIVE_INFINITY;
  let passed = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const suppress = echoSuppressor(playedAudio(), { blockMs: BLOCK_MS });
    const started = performance.now();
    for (const frame of frames) if (suppress(frame) === frame) passed++;
    best = Math.min(best, performance.now() - started);
  }
  console.log(
    `echo: load average after ${load()}; ${passed} of ${PASSES * frames.length} frames passed untouched`,
  );
  const perBlockUs = (best * 1000) / (AUDIO_MS / BLOCK_MS);
  const results = [result('echo.cpu_us_per_block', perBlockUs, 'µs per 10 ms', '< 30 (0.3 % of a core)')];
  report('echo', results);
  return results;
}
