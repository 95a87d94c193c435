import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BABBLE_TEXT, BABBLE_VOICES } from './catalog';
import { type ClipPlan, planClips } from './clip-plan';
import { mixAtSnr } from './mix';
import { babble, mainsHum, pinkNoise } from './noise';
import { seedOf } from './random';
import { concat, durationMs, SAMPLE_RATE } from './samples';
import { synthesizeSpeech, toolVersions } from './synthesize';
import { writeWav } from './wav';

/** Bump when the way clips are made changes: the next build starts afresh. */
export const SET_VERSION = 2;

/** Noise before the words and after them in every clip, ms: room for a VAD's onset and endpoint. */
export const LEAD_MS = 300;
export const TAIL_MS = 600;

/** What the manifest says of one clip (the loader adds the samples). */
export interface ClipMeta extends Omit<ClipPlan, 'snrDb'> {
  /** `null` for clean clips. */
  readonly snrDb: number | null;
  /** WAV path relative to the set's folder. */
  readonly file: string;
  readonly durationMs: number;
  /** Where the voice starts and ends in the clip, ms (first/last sample above −40 dBFS of the clean speech). */
  readonly speechStartMs: number;
  readonly speechEndMs: number;
}

/** `manifest.json` of a built set. */
export interface SetManifest {
  readonly version: number;
  /** Hash of the version, the catalog and the tool versions: a change rebuilds. */
  readonly fingerprint: string;
  readonly clips: readonly ClipMeta[];
}

/** Options of {@link buildAcousticSet}. */
export interface BuildOptions {
  /** Where the set lives. Default: the package's gitignored `.cache/` folder. */
  readonly dir?: string;
  /** Make only the clips this keeps (tests build a few). */
  readonly only?: (clip: ClipPlan) => boolean;
  /** Progress lines (the CLI prints them). */
  readonly log?: (line: string) => void;
}

/** What a build did. */
export interface BuildReport {
  readonly dir: string;
  readonly generated: number;
  readonly skipped: number;
}

/** The default folder of the set: `packages/acoustic-set/.cache` (gitignored). */
export function defaultSetDir(): string {
  return join(import.meta.dirname, '..', '.cache');
}

/**
 * Makes the clips into `dir` (16 kHz mono 16-bit WAVs + `manifest.json`). Deterministic: noise
 * is seeded by each clip's id, synthesis and sox run in repeatable mode. Idempotent: a clip whose
 * file exists under the same fingerprint is skipped; a different fingerprint wipes the folder first.
 * Needs flite, espeak-ng and sox (a `SystemDependencyError` names the install line).
 */
export function buildAcousticSet(options: BuildOptions = {}): BuildReport {
  const dir = options.dir ?? defaultSetDir();
  const manifestPath = join(dir, 'manifest.json');
  const fingerprint = fingerprintOf();
  const previous = readManifest(manifestPath);
  if (previous && previous.fingerprint !== fingerprint) {
    options.log?.(
      `set changed (${previous.fingerprint.slice(0, 8)} → ${fingerprint.slice(0, 8)}): rebuilding`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  const known = new Map(
    previous?.fingerprint === fingerprint ? previous.clips.map((clip) => [clip.id, clip] as const) : [],
  );
  const plans = planClips().filter((clip) => options.only?.(clip) ?? true);
  const voices = new Map<string, Int16Array>();
  const speechOf = (clip: ClipPlan) => {
    const key = `${clip.voice}|${clip.spoken}`;
    let speech = voices.get(key);
    if (!speech) {
      speech = synthesizeSpeech(clip.spoken, clip.voice);
      voices.set(key, speech);
    }
    return speech;
  };
  let talkers: Int16Array[] | undefined;
  const babbleTalkers = () => {
    talkers ??= BABBLE_VOICES.map((voice) => synthesizeSpeech(BABBLE_TEXT, voice));
    return talkers;
  };

  let generated = 0;
  let skipped = 0;
  for (const clip of plans) {
    const file = `${clip.id}.wav`;
    const existing = known.get(clip.id);
    if (existing && existsSync(join(dir, file))) {
      skipped++;
      continue;
    }
    const speech = speechOf(clip);
    const padded = concat(LEAD_MS, speech, TAIL_MS);
    const samples = clip.noise === 'clean' ? padded : withNoise(clip, padded, babbleTalkers);
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), writeWav(samples));
    const span = voicedSpan(speech);
    known.set(clip.id, {
      ...clip,
      snrDb: Number.isFinite(clip.snrDb) ? clip.snrDb : null,
      file,
      durationMs: durationMs(samples),
      speechStartMs: LEAD_MS + span.startMs,
      speechEndMs: LEAD_MS + span.endMs,
    });
    generated++;
    if (generated % 50 === 0) options.log?.(`${generated} clips made`);
  }
  mkdirSync(dir, { recursive: true });
  const manifest: SetManifest = { version: SET_VERSION, fingerprint, clips: [...known.values()] };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  options.log?.(`acoustic set in ${dir}: ${generated} made, ${skipped} already there`);
  return { dir, generated, skipped };
}

function withNoise(clip: ClipPlan, padded: Int16Array, talkers: () => Int16Array[]): Int16Array {
  const length = durationMs(padded);
  const seed = seedOf(clip.id);
  const noise =
    clip.noise === 'pink'
      ? pinkNoise(length, { seed })
      : clip.noise === 'hum'
        ? mainsHum(length, { seed })
        : babble(talkers(), length, { seed });
  return mixAtSnr(padded, noise, clip.snrDb);
}

/** First and last sample above −40 dBFS, ms. */
function voicedSpan(speech: Int16Array): { startMs: number; endMs: number } {
  const level = 32768 * 10 ** (-40 / 20);
  let first = -1;
  let last = -1;
  for (let i = 0; i < speech.length; i++) {
    if (Math.abs(speech[i]!) > level) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0
    ? { startMs: 0, endMs: 0 }
    : { startMs: (first / SAMPLE_RATE) * 1000, endMs: (last / SAMPLE_RATE) * 1000 };
}

function fingerprintOf(): string {
  const hash = createHash('sha256');
  hash.update(String(SET_VERSION));
  hash.update(JSON.stringify(planClips()));
  hash.update(JSON.stringify({ BABBLE_TEXT, BABBLE_VOICES, LEAD_MS, TAIL_MS }));
  hash.update(toolVersions());
  return hash.digest('hex');
}

/** The manifest in `path`, or undefined when there is none (or it is unreadable). */
export function readManifest(path: string): SetManifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SetManifest;
  } catch {
    return undefined;
  }
}
