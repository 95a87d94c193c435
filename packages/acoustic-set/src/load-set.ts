import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@voxduplex/core';
import { type BuildOptions, buildAcousticSet, type ClipMeta, defaultSetDir, readManifest } from './build-set';
import type { ClipKind, NoiseKind } from './catalog';

/** One clip of the set: its metadata and its 16 kHz mono samples. */
export interface AcousticClip extends ClipMeta {
  readonly samples: Int16Array;
  readonly sampleRate: 16_000;
}

/** A loaded set. */
export interface AcousticSet {
  readonly dir: string;
  readonly version: number;
  readonly fingerprint: string;
  readonly clips: readonly AcousticClip[];
}

/** What {@link selectClips} keeps; every given field must match. */
export interface ClipFilter {
  readonly kind?: ClipKind;
  readonly noise?: NoiseKind;
  /** `null` keeps clean clips. */
  readonly snrDb?: number | null;
  readonly voice?: string;
}

/**
 * Reads a built set from `dir` (default: the package's `.cache/`).
 *
 * @throws ConfigError when there is no set there (run `npm run acoustic-set`, or use {@link ensureAcousticSet}).
 */
export function loadAcousticSet(dir: string = defaultSetDir()): AcousticSet {
  const manifest = readManifest(join(dir, 'manifest.json'));
  if (!manifest) throw new ConfigError(`no acoustic set in ${dir}: run \`npm run acoustic-set\` first`);
  const clips = manifest.clips.map((clip) => {
    const bytes = readFileSync(join(dir, clip.file));
    // The files are written by this package: 44-byte header, then 16-bit mono samples.
    const data = bytes.subarray(44);
    const samples = new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    return { ...clip, samples, sampleRate: 16_000 as const };
  });
  return { dir, version: manifest.version, fingerprint: manifest.fingerprint, clips };
}

/**
 * Builds what is missing (quick when the set is there: every clip is skipped) and loads it.
 *
 * @example
 * ```ts
 * const set = ensureAcousticSet();
 * const noisy = selectClips(set, { kind: 'question', noise: 'pink', snrDb: 10 });
 * ```
 */
export function ensureAcousticSet(options: BuildOptions = {}): AcousticSet {
  const { dir } = buildAcousticSet(options);
  return loadAcousticSet(dir);
}

/** The clips matching every field of `filter`, in manifest order. */
export function selectClips(set: AcousticSet, filter: ClipFilter): AcousticClip[] {
  return set.clips.filter(
    (clip) =>
      (filter.kind === undefined || clip.kind === filter.kind) &&
      (filter.noise === undefined || clip.noise === filter.noise) &&
      (filter.snrDb === undefined || clip.snrDb === filter.snrDb) &&
      (filter.voice === undefined || clip.voice === filter.voice),
  );
}
