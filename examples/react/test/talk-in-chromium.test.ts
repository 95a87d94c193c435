import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInChromium, openAppInChromium } from './app-in-chromium';
import { fliteSpeech, silence } from './speech';

const OUTPUT = resolve(import.meta.dirname, '../../../.output');

describe('the React app against the Express example, offline stack, in Chromium', () => {
  let app: AppInChromium;

  beforeAll(async () => {
    // The fake mic: a question asking for a story, then (while the story plays) a second question.
    app = await openAppInChromium((dir) => [
      silence(500),
      fliteSpeech(dir, 'tell me a story', 'rms'),
      silence(10_000),
      fliteSpeech(dir, 'what time is it', 'rms'),
      silence(4000),
    ]);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('transcribes a spoken question, plays the reply, stops it when the user talks over it, and charts each turn', async () => {
    const { page, server, pageErrors } = app;
    await page.goto(server.url);
    // The server's COOP/COEP headers isolate the page: interrupts take the shared-memory lane.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect.poll(() => page.textContent('#status')).toBe('idle');
    await page.click('#talk');
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toBe('ready');

    // The first question's final transcript, then the story being spoken out loud.
    const user = page.locator('li[data-role="user"]');
    const agent = page.locator('li[data-role="agent"]');
    await expect.poll(() => user.first().textContent(), { timeout: 20_000 }).toMatch(/story/);
    await expect.poll(() => agent.first().textContent(), { timeout: 20_000 }).toMatch(/once upon|story/i);
    await expect
      .poll(async () => Number(await page.getAttribute('#output-level', 'data-peak')), { timeout: 20_000 })
      .toBeGreaterThan(0.01);

    // The second question, played by the mic mid-story, cuts the story and starts a new turn.
    await expect.poll(() => agent.first().getAttribute('data-interrupted'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => user.count(), { timeout: 20_000 }).toBe(2);
    expect(await user.nth(1).textContent()).toMatch(/time/);
    await expect.poll(() => agent.nth(1).textContent(), { timeout: 20_000 }).toMatch(/It's /);

    // The waterfall shows numbers for the turns: the story's (cut) and the answer's.
    await expect
      .poll(() => page.locator('#waterfalls figure').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    const firstPlayed = await page
      .locator('#waterfalls g[data-step="first sample played"] .step-ms')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-ms')));
    expect(firstPlayed.length).toBeGreaterThan(0);
    for (const ms of firstPlayed) expect(Number(ms)).toBeGreaterThan(0);

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'example-react-talk.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
