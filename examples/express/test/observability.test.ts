import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavHeader } from '@voxduplex/recording';
import { connectVoiceAgent } from '@voxduplex/transport-socketio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from './run-script';

const work = mkdtempSync(join(tmpdir(), 'vox-express-observe-'));
writeFileSync(join(work, 'index.html'), '<!doctype html><title>voxduplex</title>');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in OpenTelemetry collector: keeps the body of every OTLP/HTTP trace export. */
async function startCollector() {
  const bodies: string[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.url === '/v1/traces') bodies.push(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => server.close(),
  };
}

describe('express example: traces and recordings', () => {
  it('exports a typed turn as OTLP spans, records the call, and replays its timeline', async () => {
    const collector = await startCollector();
    const recordDir = join(work, 'recordings');
    const server = runScript('main.ts', [], {
      PORT: '0',
      STATIC_DIR: work,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      VOX_RECORD_DIR: recordDir,
    });
    try {
      await expect
        .poll(() => server.output().stdout, { timeout: 50_000, interval: 100 })
        .toMatch(/Open http/);
      const url = /Open (http:\/\/127\.0\.0\.1:\d+) /.exec(server.output().stdout)![1]!;
      expect(server.output().stdout).toContain(`Calls are recorded in ${recordDir}`);

      const client = connectVoiceAgent(`${url}/voice`, { reconnection: false });
      await new Promise<void>((ready) => client.on('ready', () => ready()));
      const ended = new Promise<void>((done) => client.on('speech-end', () => done()));
      client.sendText('What time is it?');
      await ended;
      client.close();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      collector.close();
    }

    const exported = collector.bodies.join('\n');
    for (const name of ['voice.session', 'voice.turn', 'voice.playback', 'tts flite'])
      expect(exported, name).toContain(`"${name}"`);
    expect(exported).toMatch(/"name":"chat[^"]*"/);

    const [json] = readdirSync(recordDir).filter((file) => file.endsWith('.json'));
    const transcript = JSON.parse(readFileSync(join(recordDir, json!), 'utf8'));
    expect(transcript.turns[0]).toMatchObject({ userText: 'What time is it?' });
    const wav = readFileSync(join(recordDir, json!.replace(/\.json$/, '.wav')));
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44); // the header was patched with the true size

    const replay = runScript('replay.ts', [join(recordDir, json!)], {});
    expect(await replay.exited).toBe(0);
    expect(replay.output().stdout).toMatch(/0:00\.\d {9}user {3}What time is it\? \(typed\)/);
    expect(replay.output().stdout).toMatch(/latency: .*server first audio \d+ ms/);
  }, 90_000);

  it('replays the journal of a call whose server died, and repairs its WAV header', async () => {
    const dir = join(work, 'crashed');
    mkdirSync(dir);
    const entries = [
      {
        type: 'recording',
        version: 1,
        sessionId: 'call-crashed',
        startedAt: '2026-12-06T09:00:00.000Z',
        sampleRate: 16000,
        channels: ['user', 'agent'],
      },
      { type: 'utterance', atMs: 2100, text: 'book a table for two', startMs: 500, endMs: 2000 },
      { type: 'user-turn', atMs: 2400, turnId: 't1', text: 'book a table for two' },
    ];
    // The last line was being written when the process died.
    writeFileSync(
      join(dir, 'call-crashed.jsonl'),
      `${entries.map((entry) => JSON.stringify(entry)).join('\n')}\n{"type":"speech-st`,
    );
    const threeSeconds = Buffer.alloc(3 * 16000 * 4);
    writeFileSync(
      join(dir, 'call-crashed.wav'),
      Buffer.concat([wavHeader({ sampleRate: 16000, channels: 2 }), threeSeconds]),
    );

    const replay = runScript('replay.ts', [join(dir, 'call-crashed.jsonl')], {});
    expect(await replay.exited).toBe(0);
    const { stdout } = replay.output();
    expect(stdout).toContain('call-crashed.wav: 3.0 s of audio');
    expect(stdout).toContain('0:03.0 long, 1 turns');
    expect(stdout).toContain('the recording never ended');
    expect(stdout).toMatch(/0:00\.5–0:02\.0 {2}user {3}book a table for two/);
    expect(readFileSync(join(dir, 'call-crashed.wav')).readUInt32LE(40)).toBe(threeSeconds.length);
  }, 60_000);
});
