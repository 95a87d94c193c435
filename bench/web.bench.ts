// Browser playback in headless Chromium (Debian's, driven by playwright-core): how fast an
// interrupt silences the output, and how many audible breaks a minute of jittered streaming has.
//
// Interrupt → silence is measured in audio time, on a cross-origin isolated page (COOP
// `same-origin` + COEP `require-corp`, so it may share memory with its worklets):
//   - "asked" is the audio thread's render head when the page calls `player.interrupt()`: the
//     next frame it will render, published every quantum by a test tap worklet in a
//     SharedArrayBuffer and read with Atomics on the main thread. (The main thread's
//     `context.currentTime` is no good for this: it moves by whole render bursts and can be a
//     burst behind.)
//   - "silent" is the player's own `interrupted.silentFrame`: the first frame of exact silence.
//   The difference includes the 4 ms fade. Each trial runs twice, with the player's shared-memory
//   control lane (`fastControl`, the default where the page is isolated) and with postMessage
//   (what a page without COOP/COEP gets). The audio thread renders in bursts of about 512
//   frames and handles messages only between bursts, so a postMessage can wait one more burst
//   (10.7 ms at 48 kHz); the lane is read at the start of every 128-frame quantum.
//
// Gaps: one 60 s speech in 20 ms chunks delivered with up to 40 ms of jitter (plus whatever the
// loaded machine adds), into the adaptive jitter buffer (60 ms, up to 200 ms) and, for
// comparison, a fixed 60 ms buffer. A gap is a break in the rendered 440 Hz tone. Then twenty 3 s
// replies in a row (each after the previous one finished) over the same link, adaptive and fixed:
// underruns per minute of reply audio (every underrun is an audible gap, see the Chromium tests).

import { loadavg } from 'node:os';
import type { PlayerEvent } from '../packages/web-audio/src/index';
import { launchChromium, openTestPage } from '../packages/web-audio/test/harness/browser';
import { countBreaks, readRecording, soundSpan } from '../packages/web-audio/test/harness/output-analysis';
import { bundlePage, servePage } from '../packages/web-audio/test/harness/page-server';
import type { PlaybackScenario, VoxTestApi } from '../packages/web-audio/test/page/page';
import { type BenchResult, quantileResults, report, result } from './harness';

const INTERRUPT_TRIALS = 20;
const PLAYBACK_MS = 60_000;
const REPLIES = 20;
const REPLY_MS = 3000;

export default async function webBench(): Promise<readonly BenchResult[]> {
  const loadAtStart = loadavg()[0]!;
  const site = await servePage(await bundlePage(), {}, { crossOriginIsolated: true });
  const browser = await launchChromium();
  try {
    const page = await openTestPage(browser, site.url);
    const play = (scenario: PlaybackScenario) =>
      page.evaluate((s) => (window as unknown as { voxTest: VoxTestApi }).voxTest.playback(s), scenario);

    const latencies = { lane: [] as number[], postMessage: [] as number[] };
    for (let trial = 0; trial < INTERRUPT_TRIALS; trial++) {
      for (const fastControl of [true, false]) {
        const run = await play({
          speechMs: 1500,
          chunkMs: 20,
          sourceRate: 24_000,
          frequencyHz: 440,
          jitterMs: 40,
          jitterBufferMs: 60,
          interruptAfterMs: 400 + 37 * trial,
          seed: trial + 1,
          fastControl,
        });
        if (run.hasFastControl !== fastControl || run.interruptClock !== 'render head') {
          throw new Error('the bench page must be cross-origin isolated (render head and control lane)');
        }
        const cut = (run.events as PlayerEvent[]).find((e) => e.type === 'interrupted');
        if (
          cut?.type === 'interrupted' &&
          cut.silentFrame !== undefined &&
          run.interruptFrame !== undefined
        ) {
          const ms = ((cut.silentFrame - run.interruptFrame) / run.sampleRate) * 1000;
          latencies[fastControl ? 'lane' : 'postMessage'].push(ms);
        }
      }
    }

    // 440 Hz at 24 kHz in 20 ms chunks over a link with 40 ms of jitter, into a 60 ms buffer that
    // adapts (no maximum given) or stays fixed (a maximum of 60).
    const jitteryLink = (maxJitterBufferMs: number | undefined) => ({
      chunkMs: 20,
      sourceRate: 24_000,
      frequencyHz: 440,
      jitterMs: 40,
      jitterBufferMs: 60,
      ...(maxJitterBufferMs === undefined ? {} : { maxJitterBufferMs }),
    });
    const minuteOfSpeech = async (maxJitterBufferMs: number | undefined) => {
      const run = await play({ speechMs: PLAYBACK_MS, ...jitteryLink(maxJitterBufferMs), seed: 11 });
      const { rendered, skippedQuanta } = readRecording(run.base64, run.quantumFrames);
      const span = soundSpan(rendered);
      const edge = Math.round(run.sampleRate * 0.005);
      const breaks = span
        ? countBreaks(rendered, 440, run.sampleRate, span.first + edge, span.last - edge)
        : Number.NaN;
      const minutes = span ? (span.last - span.first) / run.sampleRate / 60 : Number.NaN;
      return { breaks, minutes, skippedQuanta, stats: run.stats };
    };
    const adaptive = await minuteOfSpeech(undefined);
    const fixed = await minuteOfSpeech(60);

    // Twenty 3 s replies in a row over the same link: a fixed buffer starts each one with 60 ms
    // in hand, the adaptive one with what the earlier replies taught it.
    const replies = (maxJitterBufferMs: number | undefined) =>
      page.evaluate(({ s, n }) => (window as unknown as { voxTest: VoxTestApi }).voxTest.playReplies(s, n), {
        s: { speechMs: REPLY_MS, ...jitteryLink(maxJitterBufferMs), seed: 5 },
        n: REPLIES,
      });
    const repliesMinutes = (REPLIES * REPLY_MS) / 60_000;
    const adaptiveReplies = await replies(undefined);
    const fixedReplies = await replies(60);

    const results = [
      ...quantileResults('web.interrupt_to_silence', latencies.lane, 'ms', {
        p95: '<= 6.7 (fade + 1 quantum)',
        p50: '<= 6.7 (fade + 1 quantum)',
      }),
      ...quantileResults('web.interrupt_to_silence.postmessage', latencies.postMessage, 'ms', {
        p95: 'info',
        p50: 'info',
      }),
      result('web.gaps_per_minute', adaptive.breaks / adaptive.minutes, 'gaps/min', '< 1'),
      result('web.underruns_per_minute', adaptive.stats.underruns / adaptive.minutes, 'underruns/min', '< 1'),
      result('web.jitter_buffer_after_minute', adaptive.stats.jitterBufferMs, 'ms', 'info'),
      result('web.gaps_per_minute.fixed_buffer', fixed.breaks / fixed.minutes, 'gaps/min', 'info'),
      result(
        'web.replies.underruns_per_minute',
        adaptiveReplies.stats.underruns / repliesMinutes,
        'underruns/min',
        '< 1',
      ),
      result(
        'web.replies.underruns_per_minute.fixed_buffer',
        fixedReplies.stats.underruns / repliesMinutes,
        'underruns/min',
        'info',
      ),
      // Quanta Chromium's audio thread never rendered (a loaded machine): outside the player's control.
      result(
        'web.render_skips_per_minute',
        (adaptive.skippedQuanta + fixed.skippedQuanta) / (adaptive.minutes + fixed.minutes),
        'quanta/min',
        'info',
      ),
      // The machine is shared: its 1-minute load average before and after the run.
      result('web.load_average.start', loadAtStart, 'load', 'info'),
      result('web.load_average.end', loadavg()[0]!, 'load', 'info'),
    ];
    report('web', results);
    return results;
  } finally {
    await browser.close();
    await site.close();
  }
}
