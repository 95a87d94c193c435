import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerEvent } from '../src/index';
import { launchChromium, openTestPage } from './harness/browser';
import { countBreaks, readRecording, soundSpan } from './harness/output-analysis';
import { bundlePage, servePage } from './harness/page-server';
import type { PlaybackScenario, VoxTestApi } from './page/page';
import { decibels, toneAmplitude, windowedToneAmplitude } from './signals';

type Site = Awaited<ReturnType<typeof servePage>>;

describe('streaming playback in Chromium', () => {
  let browser: Browser;
  let site: Site;
  let isolatedSite: Site;
  let page: Page;
  let isolatedPage: Page;

  beforeAll(async () => {
    const script = await bundlePage();
    site = await servePage(script);
    isolatedSite = await servePage(script, {}, { crossOriginIsolated: true });
    browser = await launchChromium();
    page = await openTestPage(browser, site.url);
    isolatedPage = await openTestPage(browser, isolatedSite.url);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await isolatedSite?.close();
  });

  async function play(scenario: PlaybackScenario, on = page) {
    const run = await on.evaluate(
      (s) => (window as unknown as { voxTest: VoxTestApi }).voxTest.playback(s),
      scenario,
    );
    const { rendered: output, frameIndex: at, skippedQuanta } = readRecording(run.base64, run.quantumFrames);
    // Quanta the audio thread never rendered (a loaded machine) are left out of `output`: they
    // are glitches of the system, not of the player, and the bench reports them separately.
    if (skippedQuanta > 0) console.log(`audio thread skipped ${skippedQuanta} quanta`);
    const events = run.events as PlayerEvent[];
    return { ...run, output, at, events };
  }

  const base: PlaybackScenario = {
    speechMs: 3000,
    chunkMs: 20,
    sourceRate: 24_000,
    frequencyHz: 440,
    jitterMs: 40,
    jitterBufferMs: 60,
    seed: 3,
  };

  it('plays 24 kHz chunks arriving with up to 20 ms jitter as one gapless 3 s tone', async () => {
    const { output, events, stats, sampleRate, lateChunks } = await play({ ...base, jitterMs: 20 });
    const span = soundSpan(output)!;
    expect(span).toBeDefined();
    // Leave out the first and last 5 ms: the resampler's filter ramps in and out there.
    const edge = Math.round(sampleRate * 0.005);
    const breaks = countBreaks(output, 440, sampleRate, span.first + edge, span.last - edge);
    // Every audible break is a counted underrun, and an underrun only follows a chunk the page
    // delivered later than the buffer hides (on a calm machine: none, so zero breaks).
    expect(breaks).toBe(stats.underruns);
    expect(stats.underruns).toBeLessThanOrEqual(lateChunks);
    // Nothing lost or doubled: 3 s of tone, plus any rebuffering pauses.
    const finished = events.find((e) => e.type === 'finished');
    expect(finished).toMatchObject({ speechId: 'speech-1' });
    expect((finished as { playedMs: number }).playedMs).toBeCloseTo(3000, -1);
    const sounding = output.reduce((n, sample) => n + (Math.abs(sample) > 1e-4 ? 1 : 0), 0);
    expect(sounding / sampleRate).toBeCloseTo(3, 2);
    expect(
      decibels(toneAmplitude(output, 440, sampleRate, span.first + edge, span.last - edge), 0.5),
    ).toBeGreaterThan(-1);
  });

  it('counts a delivery stall longer than the jitter buffer as an underrun, heard as a gap', async () => {
    const { output, stats, sampleRate, events, lateChunks } = await play({
      ...base,
      jitterMs: 20,
      speechMs: 2000,
      stallAtMs: 1000,
      stallMs: 300,
    });
    const span = soundSpan(output)!;
    const edge = Math.round(sampleRate * 0.005);
    expect(stats.underruns).toBeGreaterThanOrEqual(1);
    // The stall, plus any the busy machine added on its own.
    expect(stats.underruns).toBeLessThanOrEqual(1 + lateChunks);
    expect(events.filter((e) => e.type === 'underrun')).toHaveLength(stats.underruns);
    expect(countBreaks(output, 440, sampleRate, span.first + edge, span.last - edge)).toBe(stats.underruns);
  });

  it.each([
    { lane: 'postMessage', isIsolated: false },
    { lane: 'the shared-memory lane of a cross-origin isolated page', isIsolated: true },
  ])(
    'silences an interrupted speech after a ≤ 5 ms fade, and plays none of its late chunks, through $lane',
    async ({ isIsolated }) => {
      const run = await play(
        { ...base, speechMs: 3000, interruptAfterMs: 800, nextFrequencyHz: 660 },
        isIsolated ? isolatedPage : page,
      );
      expect(run.isCrossOriginIsolated).toBe(isIsolated);
      expect(run.hasFastControl).toBe(isIsolated);
      const { output, events, sampleRate, at } = run;
      const interrupted = events.find(
        (e) => e.type === 'interrupted' && e.speechId === 'speech-1',
      ) as Extract<PlayerEvent, { type: 'interrupted' }>;
      const nextStarted = events.find((e) => e.type === 'started' && e.speechId === 'speech-2') as Extract<
        PlayerEvent,
        { type: 'started' }
      >;
      expect(interrupted?.silentFrame).toBeDefined();
      expect(nextStarted).toBeDefined();
      const silentAt = at(interrupted.silentFrame!);
      const nextAt = at(nextStarted.frame);
      expect(silentAt).toBeGreaterThan(0);
      // Late chunks of speech-1 kept coming after the interrupt and were refused.
      const late = events.filter((e) => e.type === 'dropped' && e.speechId === 'speech-1');
      expect(late.length).toBeGreaterThan(0);
      expect(late.every((e) => e.type === 'dropped' && e.reason === 'interrupted')).toBe(true);
      // Exact silence from the silent frame until the next speech starts.
      expect(nextAt).toBeGreaterThan(silentAt);
      expect(output.subarray(silentAt, nextAt).every((s) => s === 0)).toBe(true);
      // The fade (the default 4 ms, within the 5 ms bound): never above the straight line to zero.
      const fade = Math.round(sampleRate * 0.004);
      for (let i = silentAt - fade; i < silentAt; i++) {
        expect(Math.abs(output[i]!)).toBeLessThanOrEqual(0.5 * ((silentAt - i) / fade) + 1e-3);
      }
      // Sound right before the fade: the speech was audible when cut.
      expect(
        Math.max(...Array.from(output.subarray(silentAt - fade - 480, silentAt - fade), Math.abs)),
      ).toBeGreaterThan(0.4);
      // From the interrupt reaching the page to silence: the player's fade plus one render quantum,
      // plus the wait for the audio thread to take the message (it renders ahead in bursts).
      const latencyMs = ((interrupted.silentFrame! - run.interruptFrame!) / sampleRate) * 1000;
      expect(latencyMs).toBeLessThanOrEqual(5 + (2 * 128 * 1000) / sampleRate + 20);
      // After the cut only the new 660 Hz speech is heard, no trace of the old 440 Hz one.
      const after = soundSpan(output.subarray(nextAt))!;
      const from = nextAt + after.first + 240;
      const to = nextAt + after.last - 240;
      expect(decibels(windowedToneAmplitude(output, 660, sampleRate, from, to), 0.5)).toBeGreaterThan(-1);
      expect(decibels(windowedToneAmplitude(output, 440, sampleRate, from, to), 0.5)).toBeLessThan(-60);
    },
  );
});
