import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { readConfig } from '../../express/src/config';
import { type RunningServer, startServer } from '../../express/src/server';
import { writeWav } from './speech';

const APP_ROOT = resolve(import.meta.dirname, '..');

/** The React app, built, served by the Express example on the offline stack, open in Chromium. */
export interface AppInChromium {
  readonly dir: string;
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught errors of the page. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Builds the app, starts the server, and opens the page in a Chromium whose fake microphone
 * plays `microphone(dir)` once (16 kHz parts, one after the other). `initScript` runs in the
 * page before the app.
 */
export async function openAppInChromium(
  microphone: (dir: string) => readonly Int16Array[],
  initScript?: string,
): Promise<AppInChromium> {
  const dir = mkdtempSync(join(tmpdir(), 'vox-react-'));
  const outDir = join(dir, 'app');
  await build({ root: APP_ROOT, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const mic = join(dir, 'mic.wav');
  writeWav(mic, microphone(dir));
  const server = await startServer(readConfig({ PORT: '0', STATIC_DIR: outDir }));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--autoplay-policy=no-user-gesture-required',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${mic}%noloop`,
    ],
  });
  const page = await browser.newPage({ viewport: { width: 820, height: 1000 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (initScript) await page.addInitScript(initScript);
  return {
    dir,
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
