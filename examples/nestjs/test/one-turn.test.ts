import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type AgentAudioChunk, connectVoiceAgent } from '@voxduplex/transport-socketio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../src/bootstrap';
import { fliteSpeech } from './speech';

const dir = mkdtempSync(join(tmpdir(), 'vox-nest-'));
const FRAME = 320; // 20 ms at 16 kHz

describe('NestJS example', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await bootstrap(0, '127.0.0.1', false));
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers one spoken turn over Socket.IO on the offline stack (PocketSphinx, Silero, demo brain, Flite)', async () => {
    const question = fliteSpeech(dir, 'what time is it', 'rms');
    const client = connectVoiceAgent(`${url}/voice`, { reconnection: false });
    const turns: string[] = [];
    const agentText: string[] = [];
    const audio: AgentAudioChunk[] = [];
    const ends: { interrupted: boolean; text: string }[] = [];
    client.on('user-turn', (turn) => turns.push(turn.text));
    client.on('agent-text', (text) => agentText.push(text.text));
    client.on('agent-audio', (chunk) => audio.push(chunk));
    client.on('speech-end', (end) => ends.push(end));
    try {
      await new Promise<void>((ready) => client.on('ready', () => ready()));
      const sessions = async () => (await (await fetch(`${url}/sessions`)).json()) as { count: number };
      await expect.poll(sessions).toMatchObject({ count: 1 });

      // 300 ms of silence, the question, then silence, paced at twice real time like a microphone.
      const speech = new Int16Array(4800 + question.length + 24_000);
      speech.set(question, 4800);
      for (let at = 0; at < speech.length; at += FRAME) {
        client.sendAudio(speech.slice(at, at + FRAME));
        await new Promise((tick) => setTimeout(tick, 10));
      }

      await expect.poll(() => ends.length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(turns).toHaveLength(1);
      expect(turns[0]).toMatch(/time/);
      // The demo brain tells the time in words ("It's a quarter past nine in the evening.").
      expect(agentText.join(' ')).toMatch(/^It's /);
      expect(ends[0]).toMatchObject({ interrupted: false });
      const samples = audio.flatMap((chunk) => [...chunk.samples]);
      expect(Math.max(...samples.map(Math.abs))).toBeGreaterThan(1000);
    } finally {
      client.close();
    }
    await expect
      .poll(async () => ((await (await fetch(`${url}/sessions`)).json()) as { count: number }).count)
      .toBe(0);
  }, 60_000);
});
