import { pinkNoise } from '@voxduplex/acoustic-set';
import {
  type AudioFrame,
  type AudioInContext,
  createVoiceSession,
  type PipelineStage,
  VoxError,
} from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { from, lastValueFrom, type Observable, tap, toArray, VirtualTimeScheduler } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNodeRnnoise } from './node';
import type { RnnoiseWasm } from './rnnoise/rnnoise-wasm';
import { suppressNoise } from './suppress-noise';

let rnnoise: RnnoiseWasm;
beforeAll(async () => {
  rnnoise = await loadNodeRnnoise();
});

const context: AudioInContext = {
  sessionId: 's',
  scheduler: new VirtualTimeScheduler(),
  sampleRate: 16_000,
  playedAgentAudio: { playedEnergies: (ms, blockMs) => new Float64Array(Math.ceil(ms / blockMs)) },
  echo: {},
};

function frames(samples: Int16Array): AudioFrame[] {
  const out: AudioFrame[] = [];
  for (let at = 0; at < samples.length; at += 320)
    out.push({
      samples: samples.slice(at, at + 320),
      sampleRate: 16_000,
      channels: 1,
      startMs: at / 16,
      seq: at / 320,
    });
  return out;
}

/** A fake recognizer that keeps what the `audioIn` stage let through. */
class RecordingStt extends FakeStt {
  readonly heard: AudioFrame[] = [];
  override transcribe(audio$: Observable<AudioFrame>) {
    return super.transcribe(audio$.pipe(tap((frame) => this.heard.push(frame))));
  }
}

describe('suppressNoise (audioIn stage)', () => {
  it('keeps every frame’s length, rate, position and number, with the noise taken out', async () => {
    const input = frames(pinkNoise(2000, { seed: 2, level: 0.05 }));
    const out = await lastValueFrom(
      suppressNoise({ rnnoise: loadNodeRnnoise() })(from(input), context).pipe(toArray()),
    );
    expect(
      out.map(({ startMs, seq, sampleRate, channels, samples }) => [
        startMs,
        seq,
        sampleRate,
        channels,
        samples.length,
      ]),
    ).toEqual(
      input.map(({ startMs, seq, sampleRate, channels, samples }) => [
        startMs,
        seq,
        sampleRate,
        channels,
        samples.length,
      ]),
    );
    const energy = (list: AudioFrame[]) =>
      list.slice(50).reduce((sum, f) => sum + f.samples.reduce((s, x) => s + x * x, 0), 0);
    expect(energy(out)).toBeLessThan(energy(input) / 30);
    expect(rnnoise.openDenoisers).toBe(0);
  });

  it('hands the denoised frames and the context to the next stage (default: the echo gate), or to nobody', async () => {
    const input = frames(pinkNoise(200, { seed: 1, level: 0.05 }));
    const seen: { frames: number; context?: AudioInContext } = { frames: 0 };
    const next: PipelineStage<AudioFrame, AudioFrame, AudioInContext> = (frames$, stageContext) => {
      seen.context = stageContext;
      return frames$.pipe(tap(() => seen.frames++));
    };
    const out = await lastValueFrom(suppressNoise({ rnnoise, next })(from(input), context).pipe(toArray()));
    expect([seen.frames, seen.context, out.length]).toEqual([input.length, context, input.length]);
    // With the default next stage and no agent audio playing, the echo gate passes everything.
    const viaGate = await lastValueFrom(suppressNoise({ rnnoise })(from(input), context).pipe(toArray()));
    const alone = await lastValueFrom(
      suppressNoise({ rnnoise, next: false })(from(input), context).pipe(toArray()),
    );
    expect(viaGate).toEqual(alone);
  });

  it('fails as a VoxError when RNNoise cannot be loaded', async () => {
    const stage = suppressNoise({ rnnoise: Promise.reject(new Error('no wasm here')) });
    const run = lastValueFrom(stage(from(frames(new Int16Array(640))), context));
    await expect(run).rejects.toBeInstanceOf(VoxError);
    await expect(run).rejects.toThrow(/no wasm here/);
  });

  it('in a session: the recognizer hears denoised frames, and closing the session frees RNNoise', async () => {
    const scheduler = new VirtualTimeScheduler();
    const stt = new RecordingStt({ scheduler });
    const session = createVoiceSession({
      stt,
      llm: new FakeLlm({ scheduler }),
      tts: new FakeTts({ scheduler }),
      scheduler,
      pipeline: { audioIn: suppressNoise({ rnnoise }) },
    });
    const input = frames(pinkNoise(1000, { seed: 4, level: 0.05 }));
    for (const frame of input) session.pushAudio({ samples: frame.samples, sampleRate: 16_000 });
    expect(rnnoise.openDenoisers).toBe(1);
    expect(stt.heard).toHaveLength(input.length);
    expect(stt.heard.at(-1)!.samples).not.toEqual(input.at(-1)!.samples);
    await session.close();
    expect(rnnoise.openDenoisers).toBe(0);
    expect(rnnoise.isInstantiated).toBe(false);
  });
});
