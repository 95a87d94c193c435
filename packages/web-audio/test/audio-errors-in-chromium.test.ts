import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openTestPage } from './harness/browser';
import { bundlePage, servePage } from './harness/page-server';
import type { VoxTestApi } from './page/page';

type Site = Awaited<ReturnType<typeof servePage>>;

describe('browser audio failures in Chromium', () => {
  let site: Site;
  let browser: Browser | undefined;

  beforeAll(async () => {
    site = await servePage(await bundlePage());
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });
  afterAll(async () => {
    await site?.close();
  });

  it('reports a refused microphone permission as WebAudioError permission_denied', async () => {
    browser = await launchChromium(undefined, ['--use-fake-ui-for-media-stream']);
    const page = await openTestPage(browser, site.url);
    const result = await page.evaluate(() =>
      (window as unknown as { voxTest: VoxTestApi }).voxTest.openMicrophone(),
    );
    expect(result).toMatchObject({
      ok: false,
      name: 'WebAudioError',
      code: 'audio_device',
      reason: 'permission_denied',
    });
  });

  it('reports a machine without a microphone as device_not_found', async () => {
    browser = await launchChromium(undefined, ['--use-fake-device-for-media-stream']);
    const page = await openTestPage(browser, site.url);
    const result = await page.evaluate(() =>
      (window as unknown as { voxTest: VoxTestApi }).voxTest.openMicrophone(),
    );
    expect(result).toMatchObject({ ok: false, code: 'audio_device', reason: 'device_not_found' });
  });

  it('reports a microphone that cannot meet the constraints as device_not_found', async () => {
    browser = await launchChromium();
    const page = await openTestPage(browser, site.url);
    const result = await page.evaluate(() =>
      (window as unknown as { voxTest: VoxTestApi }).voxTest.openMicrophone({
        deviceId: { exact: 'no-such-device' },
      }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'device_not_found' });
  });
});
