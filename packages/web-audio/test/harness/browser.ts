import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** The launch flags. */
export const CHROMIUM_FLAGS = [
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
];

/**
 * Launches headless Chromium with a fake microphone playing `wav` (`%noloop`: once). `without`
 * leaves flags out (e.g. the fake permission prompt, to see a denial); `extra` adds some.
 */
export function launchChromium(
  wav?: string,
  without: readonly string[] = [],
  extra: readonly string[] = [],
): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...CHROMIUM_FLAGS.filter((flag) => !without.includes(flag)),
      ...(wav ? [`--use-file-for-fake-audio-capture=${wav}`] : []),
      ...extra,
    ],
  });
}

/** Opens the test page and waits until its module has run. Page errors fail the test. */
export async function openTestPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => 'voxTest' in window);
  Object.assign(page, { pageErrors: errors });
  return page;
}
