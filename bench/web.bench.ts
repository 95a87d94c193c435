// Browser playback in headless Chromium (Debian's, driven by playwright-core): how fast an
// interrupt silences the output, and how many audible breaks a minute of jittered streaming has.

import type { PlayerEvent } from '../packages/web-audio/src/index';
import { launchChromium, openTestPage } from '../packages/web-audio/test/harness/browser';
import { countBreaks, readRecording, soundSpan } from '../packages/web-audio/test/harness/output-analysis';
import { bundlePage, servePage } from '../packages/web-audio/test/harness/page-server';
import type { PlaybackScenario, VoxTestApi } from '../packages/web-audio/test/page/page';
import { type BenchResult, quantile, report, result } from './harness';

const INTERRUPT_TRIALS = 20;
const PLAYBACK_MS = 60_000;

export default async function webBench(): Promise<readonly BenchResult[]> {
  const site = await servePage(await bundlePage());
  const browser = await launchChromium();
  try {
    const page = await openTestPage(browser, site.url);
    const play = (scenario: PlaybackScenario) =>
      page.evaluate((s) => (window as unknown as { voxTest: VoxTestApi }).voxTest.playback(s), scenario);

    // Interrupt message handled on the page → first silent frame of the output (fade included).
    const latencies: number[] = [];
    for (let trial = 0; trial < INTERRUPT_TRIALS; trial++) {
      const run = await play({
        speechMs: 1500,
        chunkMs: 20,
        sourceRate: 24_000,
        frequencyHz: 440,
        jitterMs: 40,
        jitterBufferMs: 60,
        interruptAfterMs: 400 + 37 * trial,
        seed: trial + 1,
      });
      const cut = (run.events as PlayerEvent[]).find((e) => e.type === 'interrupted');
      if (cut?.type === 'interrupted' && cut.silentFrame !== undefined && run.interruptFrame !== undefined) {
        latencies.push(((cut.silentFrame - run.interruptFrame) / run.sampleRate) * 1000);
      }
    }

    // A minute of one speech streamed in 20 ms chunks with up to 40 ms of delivery jitter.
    const run = await play({
      speechMs: PLAYBACK_MS,
      chunkMs: 20,
      sourceRate: 24_000,
      frequencyHz: 440,
      jitterMs: 40,
      jitterBufferMs: 60,
      seed: 11,
    });
    const { rendered, skippedQuanta } = readRecording(run.base64, run.quantumFrames);
    const span = soundSpan(rendered);
    const edge = Math.round(run.sampleRate * 0.005);
    const breaks = span
      ? countBreaks(rendered, 440, run.sampleRate, span.first + edge, span.last - edge)
      : Number.NaN;
    const minutes = span ? (span.last - span.first) / run.sampleRate / 60 : Number.NaN;

    const results = [
      result('web.interrupt_to_silence.p95', quantile(latencies, 0.95), 'ms', '<= 10'),
      result('web.interrupt_to_silence.p50', quantile(latencies, 0.5), 'ms', '<= 10'),
      result('web.gaps_per_minute', breaks / minutes, 'gaps/min', '< 1'),
      result('web.underruns_per_minute', run.stats.underruns / minutes, 'underruns/min', '< 1'),
      // Quanta Chromium's audio thread never rendered (a loaded machine): outside the player's control.
      result('web.render_skips_per_minute', skippedQuanta / minutes, 'quanta/min', 'info'),
    ];
    report('web', results);
    return results;
  } finally {
    await browser.close();
    await site.close();
  }
}
