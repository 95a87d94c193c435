import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemDependencyError } from '@voxduplex/core';
import { SAMPLE_RATE } from './samples';
import { readWav } from './wav';

/** Flite's voices (Debian's `flite`); `slt` is the local agent's own voice. */
export type FliteVoiceName = 'rms' | 'awb' | 'kal16' | 'kal' | 'slt';

/**
 * A synthetic talker: `flite:<voice>`, or `espeak:<voice>[+variant]` (e.g. `espeak:en-us+f3`,
 * `espeak:en-gb-scotland+m4`; see `espeak-ng --voices=en` and its `!v` variants).
 */
export type VoiceId = `flite:${FliteVoiceName}` | `espeak:${string}`;

const INSTALL_LINE = 'apt-get install -y --no-install-recommends flite espeak-ng sox';

/**
 * Speaks `text` and returns 16 kHz mono Int16 samples. Flite and espeak-ng write a WAV at their
 * own rate; sox converts it (repeatable mode, no dither: the same text gives the same samples).
 * Note: PocketSphinx hears Flite voices well (≈ 5 % word errors) and espeak-ng poorly (≈ 70 %):
 * use espeak-ng for talkers the recognizer should not understand (babble), Flite for the user.
 *
 * @throws SystemDependencyError when flite, espeak-ng or sox is missing (the message names the install line).
 */
export function synthesizeSpeech(text: string, voice: VoiceId): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'voxduplex-acoustic-'));
  try {
    const raw = join(dir, 'raw.wav');
    const wav = join(dir, 'out.wav');
    const [engine, name] = splitVoice(voice);
    if (engine === 'flite') run('flite', ['-voice', name, '-t', text, '-o', raw]);
    else run('espeak-ng', ['-v', name, '-w', raw, text]);
    run('sox', ['-R', '-D', raw, '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', wav]);
    return readWav(readFileSync(wav)).samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function splitVoice(voice: VoiceId): ['flite' | 'espeak', string] {
  const at = voice.indexOf(':');
  const engine = voice.slice(0, at);
  if (engine !== 'flite' && engine !== 'espeak') throw new RangeError(`unknown voice engine in ${voice}`);
  return [engine, voice.slice(at + 1)];
}

function run(command: string, args: readonly string[]): void {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new SystemDependencyError(`${command} is not installed: ${INSTALL_LINE}`, { cause: error });
    throw error;
  }
}

/** Version lines of the tools, part of the set's fingerprint (another Flite may speak differently). */
export function toolVersions(): string {
  const version = (command: string, args: string[]) => {
    try {
      const lines = execFileSync(command, args, { encoding: 'utf8' }).split('\n');
      return (lines.find((line) => /\d+\.\d+/.test(line)) ?? lines[0] ?? '').trim();
    } catch {
      return `${command}: missing`;
    }
  };
  return [
    version('flite', ['--version']),
    version('espeak-ng', ['--version']),
    version('sox', ['--version']),
  ].join(' | ');
}
