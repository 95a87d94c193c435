import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFakes } from '../src/fake-run';

const MAIN = resolve(import.meta.dirname, '../src/main.ts');
const TSX = resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');

/** The lines `npm start -- --fakes` prints, from the run itself (no process). */
async function printed(language: 'en' | 'es'): Promise<string[]> {
  const lines: string[] = [];
  await runFakes({ language, write: (line) => lines.push(...line.split('\n')) });
  return lines.map((line) => line.replace(/^\s*\d+\.\d\ds {2}/, '').trimEnd());
}

describe('the scripted café conversation (on the fakes)', () => {
  it('shows every recipe at work: what TTS got, what was shown, the joined turn, the history', async () => {
    const lines = await printed('en');
    expect(lines).toContain('to TTS   Our coffee is bleep good, by the way.');
    expect(lines).toContain('shown    Our coffee is ****** good, by the way.');
    expect(lines).toContain(`turn     the user's turn ends: "i would like a coffee and a slice of cake"`);
    expect(lines).toContain('tool     free_tables → 3');
    expect(lines.find((line) => line.startsWith('mic'))).toMatch(/: 2000 before the filter, 0 after$/);
    const history = lines.slice(
      lines.indexOf('The session history (what an LLM would be given next turn):') + 1,
    );
    expect(history.slice(1, 7)).toEqual([
      '  user       what are your opening hours',
      '  assistant  We are open from eight to six every day. Our coffee is ****** good, by the way.',
      '  user       i would like a coffee and a slice of cake',
      '  assistant  Coming right up: a coffee and a slice of cake.',
      '  user       is there a table for two',
      '  assistant  Let me check. [calls free_tables]',
    ]);
    // The question the FAQ does not know was answered by the LLM (the demo brain tells the time).
    expect(history.at(-1)).toMatch(/^ {2}assistant {2}It's .+ That's the time on this machine's clock\.$/);
  });

  it('speaks, shows and stores Spanish with --spanish', async () => {
    const lines = await printed('es');
    expect(lines).toContain('to TTS   Abrimos todos los días de ocho a seis.');
    expect(lines).toContain(
      '  assistant  Abrimos todos los días de ocho a seis. Nuestro café es buenísimo, por cierto.',
    );
    expect(lines).toContain('  assistant  Hay 3 mesas libres ahora.');
  });

  it('`npm start -- --fakes` runs offline and exits by itself', async () => {
    const child = spawn(TSX, [MAIN, '--fakes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(0);
    expect(stdout).toContain('The session history');
  });
});
