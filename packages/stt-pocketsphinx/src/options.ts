import { ConfigError, type VadProvider } from '@voxduplex/core';
import { z } from 'zod';
import { DEFAULT_LIBRARY_PATHS } from './native/pocketsphinx-library';

/** Where Debian's `pocketsphinx-en-us` puts the US English model. */
export const DEBIAN_EN_US_MODEL = {
  acousticModelPath: '/usr/share/pocketsphinx/model/en-us/en-us',
  dictionaryPath: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict',
  languageModelPath: '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
} as const;

const searchSchema = z.discriminatedUnion('type', [
  /** Open dictation with the statistical language model (`-lm`). */
  z.object({ type: z.literal('language-model') }),
  /** Spot one phrase (`-keyphrase`); `threshold` trades misses for false alarms (1e-40…1). */
  z.object({
    type: z.literal('keyphrase'),
    keyphrase: z.string().trim().min(1),
    threshold: z.number().positive().max(1).default(1e-20),
  }),
  /** Spot the phrases of a keyword file (`-kws`): one `phrase /threshold/` per line. */
  z.object({ type: z.literal('keyword-file'), path: z.string().min(1) }),
  /** A JSGF grammar, from a file (`-jsgf`) or as text. */
  z.object({ type: z.literal('jsgf'), path: z.string().min(1) }),
  z.object({ type: z.literal('jsgf-text'), grammar: z.string().min(1) }),
]);

const vadSchema = z.custom<VadProvider>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { detect?: unknown }).detect === 'function',
  { message: 'expected a VAD provider (an object with a detect() method)' },
);

/** Options of {@link PocketsphinxStt}; every field is optional. */
export const pocketsphinxSttOptionsSchema = z.object({
  /** Acoustic model directory (`-hmm`). Default: Debian's en-US model. */
  acousticModelPath: z.string().min(1).default(DEBIAN_EN_US_MODEL.acousticModelPath),
  /** Pronunciation dictionary (`-dict`). */
  dictionaryPath: z.string().min(1).default(DEBIAN_EN_US_MODEL.dictionaryPath),
  /** Language model (`-lm`), used by the `language-model` search only. */
  languageModelPath: z.string().min(1).default(DEBIAN_EN_US_MODEL.languageModelPath),
  /** What the decoder listens for: open dictation (default), key phrases or a JSGF grammar. */
  search: searchSchema.default({ type: 'language-model' }),
  /**
   * Silence that ends an utterance, in ms (PocketSphinx's `-vad_postspeech`, 10 ms steps).
   * Shorter gives faster finals but splits slow speakers. Ignored when `vad` drives endpointing.
   */
  endpointSilenceMs: z.number().int().min(100).max(5000).default(500),
  /** How often, in ms of audio, the partial hypothesis is read for an `interim` event. */
  interimIntervalMs: z.number().int().min(20).max(10_000).default(200),
  /**
   * A VAD whose speech start and end decide the utterances instead of PocketSphinx's own
   * energy detector (e.g. Silero: robust to noise and music). All audio still goes through the
   * decoder, in order; a VAD event is applied when the decoder reaches it, so events line up
   * with the audio only when frames arrive at about real time (as from a microphone).
   */
  vad: vadSchema.optional(),
  /**
   * A second reading of short utterances, restricted to these phrases (e.g. stop phrases and
   * backchannels): every final of at most `maxSpeechMs` of speech is decoded again with a
   * grammar that accepts exactly one of `phrases`, and the phrase heard becomes the final's
   * `alternatives`. The open language model often misses a short word said alone ("stop" as
   * "op", "wait" as "where'd"); picking among a few phrases rarely does. A session uses it to
   * tell a stop from a backchannel (core's `StopRequest`). Costs one more decoding of that
   * speech (a few ms with a small grammar) before the final. Phrases with a word the dictionary
   * lacks are left out. `language-model` search only.
   */
  phraseReading: z
    .object({
      phrases: z.array(z.string()).min(1),
      maxSpeechMs: z.number().int().min(100).max(5000).default(1000),
    })
    .optional(),
  /** Extra decoder flags, e.g. `{ '-vad_threshold': '3.0' }`. Unknown flags are a ConfigError. */
  decoderArguments: z.record(z.string().regex(/^-\w+$/), z.string()).default({}),
  /** Where the decoder writes its log; the default discards it. */
  logPath: z.string().min(1).default('/dev/null'),
  /** The shared libraries to load; point them elsewhere for a non-Debian install. */
  libraryPaths: z
    .object({ pocketsphinx: z.string().min(1), sphinxbase: z.string().min(1) })
    .default({ ...DEFAULT_LIBRARY_PATHS }),
});

/** What the caller may pass to {@link PocketsphinxStt}. */
export type PocketsphinxSttOptions = z.input<typeof pocketsphinxSttOptionsSchema>;
/** Options after defaults are filled in. */
export type ResolvedPocketsphinxSttOptions = z.output<typeof pocketsphinxSttOptionsSchema>;
/** One of the decoder's search modes. */
export type PocketsphinxSearch = ResolvedPocketsphinxSttOptions['search'];

/** Validates options and fills defaults; every problem is listed in one {@link ConfigError}. */
export function resolveOptions(options: PocketsphinxSttOptions = {}): ResolvedPocketsphinxSttOptions {
  const parsed = pocketsphinxSttOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid options for stt provider pocketsphinx',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      { source: 'stt:pocketsphinx' },
    );
  }
  return parsed.data;
}

/** PocketSphinx's frame rate: one feature frame every 10 ms. */
const FRAME_MS = 10;

/** The `cmd_ln_init` flags for these options, as name/value pairs. */
export function decoderFlags(options: ResolvedPocketsphinxSttOptions): [string, string][] {
  const flags: [string, string][] = [
    ['-hmm', options.acousticModelPath],
    ['-dict', options.dictionaryPath],
    ['-samprate', '16000'],
    ['-vad_postspeech', String(Math.round(options.endpointSilenceMs / FRAME_MS))],
    ['-logfn', options.logPath],
  ];
  const search = options.search;
  if (search.type === 'language-model') flags.push(['-lm', options.languageModelPath]);
  else if (search.type === 'keyphrase') {
    flags.push(['-keyphrase', search.keyphrase], ['-kws_threshold', String(search.threshold)]);
  } else if (search.type === 'keyword-file') flags.push(['-kws', search.path]);
  else if (search.type === 'jsgf') flags.push(['-jsgf', search.path]);
  for (const [name, value] of Object.entries(options.decoderArguments)) {
    const at = flags.findIndex(([existing]) => existing === name);
    if (at >= 0) flags[at] = [name, value];
    else flags.push([name, value]);
  }
  return flags;
}

/** Model files the options point at, with the option that named each. */
export function modelFiles(options: ResolvedPocketsphinxSttOptions): { option: string; path: string }[] {
  const files = [
    { option: 'acousticModelPath', path: options.acousticModelPath },
    { option: 'dictionaryPath', path: options.dictionaryPath },
  ];
  const search = options.search;
  if (search.type === 'language-model')
    files.push({ option: 'languageModelPath', path: options.languageModelPath });
  if (search.type === 'keyword-file' || search.type === 'jsgf')
    files.push({ option: 'search.path', path: search.path });
  return files;
}
