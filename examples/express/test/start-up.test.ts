import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type FallbackLlm, type LlmEvent, type ProviderHealthEvent } from '@voxduplex/core';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProviders } from '../src/build-providers';
import { readConfig } from '../src/config';
import { startServer } from '../src/server';
import { runScript } from './run-script';

const staticDir = mkdtempSync(join(tmpdir(), 'vox-express-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>voxduplex</title>');
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

/** Runs `src/main.ts` with only these variables. */
const runMain = (env: Record<string, string>) => runScript('main.ts', [], env);

describe('express example start-up', () => {
  it('refuses to start when a chosen cloud provider has no key, naming every missing variable', async () => {
    const run = runMain({ VOX_STT: 'azure', VOX_TTS: 'google', VOX_LLM: 'openai', PORT: '0' });
    expect(await run.exited).toBe(1);
    const { stdout, stderr } = run.output();
    expect(stdout).not.toContain('Open http');
    expect(stderr).toContain('The voice agent cannot start');
    expect(stderr).toContain('VOX_STT=azure (Azure AI Speech recognition) needs AZURE_SPEECH_KEY');
    expect(stderr).toContain('needs AZURE_SPEECH_REGION');
    expect(stderr).toContain(
      'VOX_TTS=google (Google Cloud Text-to-Speech) needs GOOGLE_APPLICATION_CREDENTIALS',
    );
    expect(stderr).toContain('VOX_LLM=openai');
    expect(stderr).toContain('OPENAI_API_KEY or OPENAI_BASE_URL');
  }, 60_000);

  it('starts on the offline stack by default and prints the URL to open', async () => {
    const run = runMain({ PORT: '0', STATIC_DIR: staticDir });
    try {
      await expect
        .poll(() => run.output().stdout, { timeout: 50_000, interval: 100 })
        .toMatch(/Open http:\/\/127\.0\.0\.1:\d+ /);
      const url = /Open (http:\/\/127\.0\.0\.1:\d+) /.exec(run.output().stdout)![1]!;
      const health = await (await fetch(`${url}/health`)).json();
      expect(health).toMatchObject({ providers: { stt: 'local', tts: 'local', llm: 'demo' }, sessions: 0 });
      const page = await fetch(url);
      expect(await page.text()).toContain('<title>voxduplex</title>');
      // Cross-origin isolated, so the player takes its shared-memory interrupt lane.
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 60_000);

  it('lists an unknown choice and a missing key together, before any provider is built', () => {
    let error: unknown;
    try {
      readConfig({ VOX_STT: 'whisper', VOX_TTS: 'azure', AZURE_SPEECH_KEY: 'k' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      'VOX_STT=whisper is not a choice; use one of: local, google, azure (or several, comma-separated)',
      'VOX_TTS=azure (Azure AI Speech synthesis) needs AZURE_SPEECH_REGION in the environment',
    ]);
  });

  it('accepts a local OpenAI-compatible server without a key, and an existing Google key file', async () => {
    const keyFile = join(staticDir, 'key.json');
    writeFileSync(keyFile, '{}');
    const config = readConfig({
      VOX_LLM: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      VOX_TTS: 'google',
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      PORT: '0',
      STATIC_DIR: staticDir,
    });
    expect([config.stt.name, config.tts.name, config.llm.name]).toEqual(['local', 'google', 'openai']);
    expect(() =>
      readConfig({ VOX_STT: 'google', GOOGLE_APPLICATION_CREDENTIALS: join(staticDir, 'nope.json') }),
    ).toThrow(/points at .*nope\.json, which does not exist/);
    // Building the providers opens no connection: the server starts and stops cleanly.
    const server = await startServer(config);
    const health = (await (await fetch(`${server.url}/health`)).json()) as { providers: unknown };
    expect(health.providers).toEqual({ stt: 'local', tts: 'google', llm: 'openai' });
    await server.close();
  });

  it('turns a comma-separated list into a fallback chain: a refused OpenAI key moves the reply to the demo brain', async () => {
    // An OpenAI-compatible server that refuses every key.
    let hits = 0;
    const api = createServer((_request, response) => {
      hits++;
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
      );
    });
    await new Promise<void>((done) => api.listen(0, '127.0.0.1', done));
    try {
      const { port } = api.address() as AddressInfo;
      const config = readConfig({
        VOX_LLM: 'openai,demo',
        OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
        OPENAI_API_KEY: 'sk-revoked',
        STATIC_DIR: staticDir,
      });
      expect(config.llm).toMatchObject({ name: 'openai,demo', names: ['openai', 'demo'] });
      const llm = buildProviders(config).createLlm('socket-1') as FallbackLlm;
      const health: ProviderHealthEvent[] = [];
      let hitsAtSwitch = 0;
      const watch = llm.health$.subscribe((event) => {
        health.push(event);
        if (event.type === 'switched') hitsAtSwitch = hits;
      });
      const events: LlmEvent[] = await lastValueFrom(
        llm.generate({ messages: [{ role: 'user', content: 'hello' }] }).pipe(toArray()),
      );
      expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(0);
      expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
      expect(hitsAtSwitch).toBe(1); // an auth failure is not retried: it falls back at once
      expect(health[0]).toMatchObject({ type: 'switched', kind: 'llm', from: 'openai', to: 'demo-brain' });
      expect(health[0]?.type === 'switched' && health[0].error.code).toBe('provider_auth');
      watch.unsubscribe();
      await llm.close();
    } finally {
      await new Promise((done) => api.close(done));
    }
  });

  it('refuses a list naming a provider twice or an unknown one', () => {
    expect(() => readConfig({ VOX_LLM: 'demo,demo' })).toThrow(/VOX_LLM lists demo twice/);
    expect(() => readConfig({ VOX_TTS: 'local,' })).toThrow(/VOX_TTS=\(empty\) is not a choice/);
  });
});
