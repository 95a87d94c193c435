import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, startAppServer } from './harness';

const LONG_REPLY =
  'This is a long answer that the user will not wait for. It goes on and on with many words. ' +
  'There is a second part. And a third part that nobody hears.';

describe('useVoiceAgent in Chromium', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let browser: Awaited<ReturnType<typeof chromium.launch>>;

  beforeAll(async () => {
    server = await startAppServer(await bundleApp(), {
      stt: { utterances: [{ text: 'hello there', startMs: 300 }] },
      llm: { reply: LONG_REPLY },
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders state and conversation, interrupts the agent, and stops the session', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await expect.poll(() => page.textContent('#status')).toBe('idle');
    expect(await page.textContent('#active')).toBe('false');

    await page.click('#start');
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toBe('ready');
    expect(await page.textContent('#active')).toBe('true');
    // The fake recognizer hears "hello there"; the agent answers and starts speaking.
    await expect
      .poll(() => page.textContent('li[data-role="user"]'), { timeout: 10_000 })
      .toBe('hello there');
    await expect.poll(() => page.textContent('#phase'), { timeout: 10_000 }).toBe('agent-speaking');
    await expect.poll(() => page.textContent('li[data-role="agent"]')).toContain('This is a long answer');

    await page.click('#interrupt');
    await expect
      .poll(() => page.getAttribute('li[data-role="agent"]', 'data-interrupted'), { timeout: 10_000 })
      .toBe('true');
    await expect.poll(() => page.textContent('#phase')).toBe('listening');

    await page.click('#stop');
    await expect.poll(() => page.textContent('#status')).toBe('closed');
    expect(await page.textContent('#active')).toBe('false');
    await expect.poll(() => server.agent.stats().sessions).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
