import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openTestPage } from './harness/browser';
import { bundlePage, servePage } from './harness/page-server';
import { syllables, writeWav } from './harness/wav';
import type { VoxTestApi } from './page/page';
import { correlation, envelope, quantileOf } from './signals';

const WAV_RATE = 44_100;
const WAV_MS = 3000;

/**
 * Best correlation of `received` against `reference` shifted by 0..maxLag windows (the capture
 * starts a little into the WAV), over the length of the WAV.
 */
function bestAlignment(reference: number[], received: number[], maxLag: number) {
  let best = { lag: 0, r: -1 };
  for (let lag = 0; lag <= maxLag; lag++) {
    const a = reference.slice(lag);
    const n = Math.min(a.length, received.length);
    if (n < 50) break;
    const r = correlation(a.slice(0, n), received.slice(0, n));
    if (r > best.r) best = { lag, r };
  }
  return best;
}

/**
 * Correlation of each 25-window (0.5 s) segment of `received` with `reference`, at the best lag
 * within ±3 windows of `lag`. Segments past the end of the WAV are left out.
 */
function segmentCorrelations(reference: number[], received: number[], lag: number): number[] {
  const out: number[] = [];
  for (
    let start = 0;
    start + lag + 3 + 25 <= reference.length && start + 25 <= received.length;
    start += 25
  ) {
    const part = received.slice(start, start + 25);
    let best = -1;
    for (let shift = Math.max(0, lag - 3); shift <= lag + 3; shift++) {
      best = Math.max(best, correlation(reference.slice(start + shift, start + shift + 25), part));
    }
    out.push(best);
  }
  return out;
}

describe('microphone capture in Chromium', () => {
  let dir: string;
  let wav: string;
  let browser: Browser;
  let script: string;
  const signal = syllables(WAV_RATE, WAV_MS);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vox-capture-'));
    wav = join(dir, 'mic.wav');
    writeWav(wav, signal, WAV_RATE);
    script = await bundlePage();
    browser = await launchChromium(`${wav}%noloop`);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function captureOnce(options: { contextRate?: number; processing?: boolean }) {
    const frames = new Map<number, { rate: number; bytes: Buffer }>();
    const site = await servePage(script, {
      '/frames': (request, response, body) => {
        const query = new URL(request.url ?? '', 'http://x').searchParams;
        frames.set(Number(query.get('seq')), { rate: Number(query.get('rate')), bytes: body });
        response.writeHead(204).end();
      },
    });
    const page = await openTestPage(browser, site.url);
    try {
      const { contextRate } = await page.evaluate(
        (o) => (window as unknown as { voxTest: VoxTestApi }).voxTest.captureToServer('/frames', o),
        options,
      );
      // The fake mic plays the WAV once from getUserMedia on; wait for it and a little silence.
      await page.waitForTimeout(WAV_MS + 600);
      await page.evaluate(() => (window as unknown as { voxTest: VoxTestApi }).voxTest.stopCapture());
      await page.waitForTimeout(100);
      return { contextRate, frames };
    } finally {
      await page.close();
      await site.close();
    }
  }

  function joined(frames: Map<number, { bytes: Buffer }>): Int16Array {
    const seqs = [...frames.keys()].sort((a, b) => a - b);
    const out = new Int16Array(seqs.length * 320);
    seqs.forEach((seq, i) => {
      const { bytes } = frames.get(seq)!;
      out.set(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2), i * 320);
    });
    return out;
  }

  it.each([
    { name: 'the default 44.1 kHz context', contextRate: undefined },
    { name: 'a 48 kHz context', contextRate: 48_000 },
  ])('delivers 16 kHz Int16 frames whose envelope matches the WAV, from $name', async ({ contextRate }) => {
    const { contextRate: actualRate, frames } = await captureOnce({
      ...(contextRate ? { contextRate } : {}),
      processing: false,
    });
    expect(actualRate).toBe(contextRate ?? 44_100);
    const seqs = [...frames.keys()].sort((a, b) => a - b);
    // 20 ms frames, numbered without holes, every one exactly 320 Int16 samples at 16 kHz.
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThan((WAV_MS / 20) * 0.9);
    for (const { rate, bytes } of frames.values()) {
      expect(rate).toBe(16_000);
      expect(bytes.byteLength).toBe(640);
    }
    const received = joined(frames);
    // 20 ms envelopes: 882 samples of the WAV, 320 of what arrived.
    const reference = envelope(signal, 882);
    const got = envelope(received, 320);
    const { lag, r } = bestAlignment(reference, got, 50);
    // Capture starts a little after the fake mic does (getUserMedia → worklet wired): under 1 s.
    expect(lag).toBeLessThan(50);
    // Chromium's mic → AudioContext FIFO may insert a few ms of silence while a busy machine
    // starts up, shifting what follows; so each half second is matched on its own, near `lag`.
    expect(r).toBeGreaterThan(0.8);
    for (const segment of segmentCorrelations(reference, got, lag)) expect(segment).toBeGreaterThan(0.9);
  });

  it('moves to another microphone without a hole in the frame numbers and refuses an unknown one', async () => {
    const frames = new Map<number, number>();
    const site = await servePage(script, {
      '/frames': (request, response) => {
        frames.set(Number(new URL(request.url ?? '', 'http://x').searchParams.get('seq')), Date.now());
        response.writeHead(204).end();
      },
    });
    const page = await openTestPage(browser, site.url);
    type Api = { voxTest: VoxTestApi };
    try {
      await page.evaluate(() =>
        (window as unknown as Api).voxTest.captureToServer('/frames', { processing: false }),
      );
      await page.waitForTimeout(500);
      const { ids, inUse } = await page.evaluate(() => (window as unknown as Api).voxTest.listMicrophones());
      const other = ids.find((id) => id !== inUse) ?? ids[0]!;
      const moved = await page.evaluate(
        (id) => (window as unknown as Api).voxTest.switchMicrophone(id),
        other,
      );
      expect(moved).toMatchObject({ ok: true });
      await page.waitForTimeout(500);
      const refused = await page.evaluate(() =>
        (window as unknown as Api).voxTest.switchMicrophone('no-such-device'),
      );
      expect(refused).toMatchObject({
        ok: false,
        code: 'audio_device',
        reason: 'device_not_found',
        inUse: moved.inUse,
      });
      const countAtRefusal = frames.size;
      await page.waitForTimeout(500);
      await page.evaluate(() => (window as unknown as Api).voxTest.stopCapture());
      await page.waitForTimeout(100);
      // Capture went on after the refused switch, on the microphone it had.
      expect(frames.size).toBeGreaterThan(countAtRefusal + 10);
      const seqs = [...frames.keys()].sort((a, b) => a - b);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    } finally {
      await page.close();
      await site.close();
    }
  });

  /** A capture through the page's test devices, frames POSTed to a local server with their arrival time. */
  async function captureWithTestDevices() {
    const frames = new Map<number, number>();
    const site = await servePage(script, {
      '/frames': (request, response) => {
        frames.set(Number(new URL(request.url ?? '', 'http://x').searchParams.get('seq')), Date.now());
        response.writeHead(204).end();
      },
    });
    const page = await openTestPage(browser, site.url);
    await page.evaluate(() => (window as unknown as Api).voxTest.captureWithTestDevices('/frames'));
    const framesSince = (at: number) => [...frames.values()].filter((t) => t > at).length;
    const report = () => page.evaluate(() => (window as unknown as Api).voxTest.deviceReport());
    return { frames, framesSince, report, page, site };
  }
  type Api = { voxTest: VoxTestApi };

  it.each(['ended event', 'track.stop()', 'devicechange'] as const)(
    'reopens the default microphone after losing it (%s): frames go on, the old track and source are released',
    async (how) => {
      const { frames, framesSince, report, page, site } = await captureWithTestDevices();
      try {
        await page.waitForTimeout(500);
        const lostAt = Date.now();
        await page.evaluate((h) => (window as unknown as Api).voxTest.loseMicrophone(h), how);
        await page.waitForTimeout(1000);
        const during = await report();
        expect(during.changes).toEqual([
          expect.objectContaining({ reason: how === 'devicechange' ? 'device-removed' : 'track-ended' }),
        ]);
        expect(during.errors).toEqual([]);
        // The first microphone's track is stopped and its source disconnected; the new one is live.
        expect(during.trackStates).toEqual(['ended', 'live']);
        expect(during.sourcesDisconnected).toEqual([true, false]);
        // Frames kept coming after the loss (about 50 a second), numbered on without a hole.
        expect(framesSince(lostAt + 500)).toBeGreaterThan(10);
        await page.evaluate(() => (window as unknown as Api).voxTest.stopCapture());
        await page.waitForTimeout(100);
        const seqs = [...frames.keys()].sort((a, b) => a - b);
        expect(seqs).toEqual(seqs.map((_, i) => i));
        const after = await report();
        expect(after.trackStates).toEqual(['ended', 'ended']);
        expect(after.sourcesDisconnected).toEqual([true, true]);
      } finally {
        await page.close();
        await site.close();
      }
    },
  );

  it('reports device_lost once when no microphone can be reopened, and goes on when one appears', async () => {
    const { framesSince, report, page, site } = await captureWithTestDevices();
    try {
      await page.waitForTimeout(300);
      await page.evaluate(() => (window as unknown as Api).voxTest.refuseMicrophones(true));
      await page.evaluate(() => (window as unknown as Api).voxTest.loseMicrophone('track.stop()'));
      await page.waitForTimeout(1000);
      const lost = await report();
      // One typed error, not one per watchdog tick; nothing left open.
      expect(lost.errors).toEqual(['audio_device/device_lost']);
      expect(lost.changes).toEqual([]);
      expect(lost.trackStates).toEqual(['ended']);
      const quietSince = Date.now();
      await page.waitForTimeout(300);
      expect(framesSince(quietSince)).toBe(0);

      await page.evaluate(() => (window as unknown as Api).voxTest.refuseMicrophones(false));
      const backAt = Date.now();
      await page.waitForTimeout(1000);
      const back = await report();
      expect(back.changes).toEqual([expect.objectContaining({ reason: 'device-added' })]);
      expect(back.trackStates).toEqual(['ended', 'live']);
      expect(framesSince(backAt)).toBeGreaterThan(10);
      await page.evaluate(() => (window as unknown as Api).voxTest.stopCapture());
    } finally {
      await page.close();
      await site.close();
    }
  });

  it('still carries the same speech envelope with echo cancellation, noise suppression and AGC on', async () => {
    const { frames } = await captureOnce({});
    const reference = envelope(signal, 882);
    const got = envelope(joined(frames), 320);
    const { lag } = bestAlignment(reference, got, 50);
    const segments = segmentCorrelations(reference, got, lag);
    // The processing changes levels (AGC) and may dip quiet onsets; the speech rhythm survives.
    expect(segments.length).toBeGreaterThan(4);
    expect(quantileOf(segments, 0.5)).toBeGreaterThan(0.85);
  });
});
