// The built Vite + React page in Chromium, served by the Express Quickstart server (one origin):
// a fake microphone plays a Flite question once, the check clicks Talk and waits for the agent's
// reply text on the page. Chromium is Debian's, driven by playwright-core from the workspace.
import { chromium } from 'playwright-core';
import { padded } from './spoken-questions.mjs';

const REPLY_TIMEOUT_MS = 30_000;

export async function talkInChromium(ctx, url) {
  // Playback of the fake mic starts at getUserMedia: lead silence keeps the question whole.
  const mic = await padded(ctx.questions.time, 500, 4000);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--autoplay-policy=no-user-gesture-required',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${mic}%noloop`,
    ],
  });
  const pageErrors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.getByRole('button', { name: 'Talk' }).click();
    const reply = page.locator('p', { hasText: /^agent: \S/ }).first();
    const shownError = page.locator('p', { hasText: ' · error: ' });
    try {
      await Promise.race([
        reply.waitFor({ timeout: REPLY_TIMEOUT_MS }),
        shownError.waitFor({ timeout: REPLY_TIMEOUT_MS }).then(async () => {
          throw new Error(`the page shows an error: ${await shownError.textContent()}`);
        }),
      ]);
    } catch (error) {
      const text = await page.locator('body').textContent();
      throw new Error(
        `no agent reply on the page: ${error.message}\npage text:\n${text}\npage errors: ${pageErrors}`,
      );
    }
    const user = await page
      .locator('p', { hasText: /^user: / })
      .first()
      .textContent({ timeout: 1000 });
    ctx.log(`Chromium: ${user ?? '(no user line)'} → ${await reply.textContent()}`);
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);
  } finally {
    await browser.close();
  }
}
