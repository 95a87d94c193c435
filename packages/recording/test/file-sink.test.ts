import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { readWavSamples } from '@voxduplex/test-support';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { fileRecordingSink, formatCallTimeline, readCallJournal, repairWav, wavHeader } from '../src/index';

// Node itself with tsx's loader (not the tsx command, whose child would outlive a SIGKILL of it).
const TSX_LOADER = pathToFileURL(
  resolve(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs'),
).href;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fileRecordingSink', () => {
  it('writes the WAV as it comes, then patches its sizes and writes the transcript', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vox-recording-'));
    const sink = fileRecordingSink({ dir: join(dir, 'calls'), name: 'call-1' });
    sink.write(wavHeader({ sampleRate: 16000, channels: 2 }));
    const block = new Int16Array([1, -1, 2, -2, 3, -3]);
    sink.write(new Uint8Array(block.buffer));
    sink.write(new Uint8Array(block.buffer));
    const journal = [
      {
        type: 'recording',
        version: 1,
        sessionId: 's',
        startedAt: 'x',
        sampleRate: 16000,
        channels: ['user', 'agent'],
      },
      { type: 'user-turn', atMs: 10, turnId: 't1', text: 'hello' },
      { type: 'end', atMs: 20, durationMs: 20, endReason: 'closed' },
    ];
    sink.journal(`${JSON.stringify(journal[0])}\n`);
    sink.journal(
      `${journal
        .slice(1)
        .map((entry) => JSON.stringify(entry))
        .join('\n')}\n`,
    );
    const header = wavHeader({ sampleRate: 16000, channels: 2, dataBytes: 24 });
    await sink.finish({ sessionId: 's', header, durationMs: 20, endReason: 'closed' });

    const wav = await readFile(join(dir, 'calls', 'call-1.wav'));
    expect(wav.readUInt32LE(4)).toBe(36 + 24);
    expect([...readWavSamples(wav)]).toEqual([1, -1, 2, -2, 3, -3, 1, -1, 2, -2, 3, -3]);
    const transcript = JSON.parse(await readFile(join(dir, 'calls', 'call-1.json'), 'utf8'));
    expect(transcript).toMatchObject({ sessionId: 's', durationMs: 20, endReason: 'closed' });
    expect(transcript.turns).toEqual([expect.objectContaining({ turnId: 't1', userText: 'hello' })]);
    expect(readdirSync(join(dir, 'calls')).sort()).toEqual(['call-1.json', 'call-1.wav']); // the journal is folded in
  });

  it('repairWav gives a recording that never ended its true sizes, from the file length', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vox-recording-'));
    const path = join(dir, 'cut.wav');
    const frames = new Int16Array([5, -5, 6, -6, 7, -7]);
    // Three stereo frames and half of a fourth: where the process died.
    await writeFile(
      path,
      Buffer.concat([
        wavHeader({ sampleRate: 16000, channels: 2 }),
        Buffer.from(frames.buffer),
        Buffer.from([1, 2]),
      ]),
    );

    expect(await repairWav(path)).toEqual({ dataBytes: 12, durationMs: 12 / 64, wasRepaired: true });
    const wav = await readFile(path);
    expect([wav.readUInt32LE(4), wav.readUInt32LE(40)]).toEqual([36 + 12, 12]);
    expect([...readWavSamples(wav)]).toEqual([...frames]);
    expect((await repairWav(path)).wasRepaired).toBe(false);
    await writeFile(path, 'not audio at all, but long enough to hold a header......');
    await expect(repairWav(path)).rejects.toThrow('not a recording WAV');
  });

  it('a process killed mid-call leaves a journal and a WAV that replay up to its last second', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vox-recording-'));
    const fixture = join(import.meta.dirname, 'fixtures', 'call-then-crash.ts');
    const child = spawn(process.execPath, ['--import', TSX_LOADER, fixture, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    onTestFinished(() => {
      child.kill('SIGKILL'); // already dead unless the test failed before killing it
    });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    const handed = JSON.parse(line) as { turns: string[]; endMs: number };

    const transcript = readCallJournal(await readFile(join(dir, 'crashed.jsonl'), 'utf8'));
    expect(transcript.endReason).toBeUndefined();
    expect(transcript.turns.map((turn) => turn.userText)).toEqual([
      'what is the weather in paris',
      'and tomorrow',
      'thanks',
    ]);
    expect(transcript.turns.map((turn) => turn.metrics?.turnId)).toEqual(handed.turns);
    const wav = await repairWav(join(dir, 'crashed.wav'));
    expect(wav.wasRepaired).toBe(true);
    // All but the held-open end (1 s) and a write block (250 ms) of the 30 s call.
    expect(wav.durationMs).toBeGreaterThanOrEqual(handed.endMs - 1250);
    expect(readWavSamples(await readFile(join(dir, 'crashed.wav'))).length).toBe(wav.dataBytes / 2);
    expect(formatCallTimeline(transcript)).toContain('user   and tomorrow');
  }, 30_000);

  it('an open-ended header reads to the end of the file, as a crashed recording must', () => {
    const header = wavHeader({ sampleRate: 16000, channels: 2 });
    const wav = Buffer.concat([header, Buffer.from(new Int16Array([5, 6]).buffer)]);
    expect(wav.readUInt32LE(40)).toBe(0xffffffff);
    expect([...readWavSamples(wav)]).toEqual([5, 6]);
  });
});
