import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppInChromium, openAppInChromium } from './app-in-chromium';
import { echoLoopScript } from './echo-loop';
import { fliteSpeech, silence } from './speech';

/** Opens the app and starts talking, as a user clicking "talk". */
async function startTalking(app: AppInChromium): Promise<Page> {
  const { page, server } = app;
  await page.goto(server.url);
  await expect.poll(() => page.textContent('#status')).toBe('idle');
  await page.click('#talk');
  await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toBe('ready');
  return page;
}

/** Waits until the story is being spoken (its text shown, sound at the output). */
async function storyPlaying(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('li[data-role="user"]').first().textContent(), { timeout: 20_000 })
    .toMatch(/story/);
  await expect
    .poll(() => page.locator('li[data-role="agent"]').first().textContent(), { timeout: 20_000 })
    .toMatch(/once upon/i);
  await expect
    .poll(async () => Number(await page.getAttribute('#output-level', 'data-peak')), { timeout: 20_000 })
    .toBeGreaterThan(0.01);
}

/** After `ms`, the story is still the only reply, not cut, and the user said one thing. */
async function storyStillPlayingAfter(page: Page, ms: number): Promise<void> {
  await page.waitForTimeout(ms);
  expect(await page.locator('li[data-role="agent"]').first().getAttribute('data-interrupted')).toBe('false');
  expect(await page.locator('li[data-role="agent"]').count()).toBe(1);
  expect(await page.locator('li[data-role="user"]').count()).toBe(1);
}

describe('the React app in a real room (offline stack, Chromium)', () => {
  let app: AppInChromium | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('keeps telling the story when the listener says "yeah" over it', async () => {
    app = await openAppInChromium((dir) => [
      silence(500),
      fliteSpeech(dir, 'tell me a story', 'rms'),
      silence(5000),
      fliteSpeech(dir, 'yeah', 'awb'),
      silence(9000),
    ]);
    const page = await startTalking(app);
    await storyPlaying(page);
    // "yeah" comes about 4 s into the story; the story is still going 6 s later.
    await storyStillPlayingAfter(page, 10_000);
    expect(app.pageErrors).toEqual([]);
  }, 90_000);

  it('is not cut off by its own voice coming back from the speakers into the microphone', async () => {
    app = await openAppInChromium(
      (dir) => [silence(500), fliteSpeech(dir, 'tell me a story', 'rms'), silence(14_000)],
      echoLoopScript({ delayMs: 80, gainDb: -12 }),
    );
    const page = await startTalking(app);
    await storyPlaying(page);
    await storyStillPlayingAfter(page, 8000);
    // The loop carried the agent's voice into the microphone: there was an echo to ignore.
    expect(
      await page.evaluate(() => (window as unknown as { __echoPeak: number }).__echoPeak),
    ).toBeGreaterThan(0.02);
    expect(app.pageErrors).toEqual([]);
  }, 90_000);
});
