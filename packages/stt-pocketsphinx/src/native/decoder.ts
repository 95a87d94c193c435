import { existsSync } from 'node:fs';
import { ConfigError, ProviderUnavailableError, SystemDependencyError } from '@voxduplex/core';
import {
  DEBIAN_EN_US_MODEL,
  decoderFlags,
  modelFiles,
  type ResolvedPocketsphinxSttOptions,
} from '../options';
import { dictionaryWords, phraseGrammar } from '../phrase-grammar';
import { POCKETSPHINX_INSTALL_LINE } from './install-hint';
import {
  callAsync,
  loadPocketsphinx,
  type NativeHandle,
  type PocketsphinxLibrary,
} from './pocketsphinx-library';

const SOURCE = 'stt:pocketsphinx';
const JSGF_SEARCH = 'voxduplex_jsgf';
const PHRASE_SEARCH = 'voxduplex_phrases';
let liveDecoders = 0;

/**
 * How many PocketSphinx decoders are allocated or loading right now in this process (each holds
 * tens of MB of model). Every recognition stream owns one from the moment it subscribes; it drops
 * back once the stream is closed and its last native call has returned. Meant for leak checks in tests and health endpoints.
 */
export function liveDecoderCount(): number {
  return liveDecoders;
}

/**
 * One native decoder (`ps_decoder_t` plus its `cmd_ln_t`). Not thread-safe: callers must not
 * start a call before the previous one has settled. Slow calls (`ps_init`, `ps_start_utt` — the
 * first one after loading takes ≈ 10 ms —, `ps_process_raw`, `ps_get_hyp`, `ps_end_utt`,
 * `ps_free`) run on koffi's worker threads.
 */
export class Decoder {
  #isFreed = false;
  /** The main search to return to after a phrase reading; set when `phraseReading` gave usable phrases. */
  #phraseReading: { readonly main: string } | undefined;

  private constructor(
    private readonly library: PocketsphinxLibrary,
    private readonly config: NativeHandle,
    private readonly decoder: NativeHandle,
  ) {}

  /** Loads the library and the model (≈ 0.5 s on one core) and starts the first utterance. */
  static async open(options: ResolvedPocketsphinxSttOptions): Promise<Decoder> {
    const library = loadPocketsphinx(options.libraryPaths);
    checkModelFiles(options);
    const pairs = decoderFlags(options).flatMap(([name, value]) => ['str', name, 'str', value]);
    const config = library.cmdLnInit(null, library.psArgs(), 1, ...pairs, 'str', null);
    if (!config) {
      throw new ConfigError('PocketSphinx rejected the decoder arguments', [
        decoderFlags(options)
          .map(([name, value]) => `${name} ${value}`)
          .join(' '),
      ]);
    }
    // Counted from the start of the load, so a stream closed while loading is still accounted for.
    liveDecoders++;
    const decoder = await callAsync(library.psInit, config).catch((error: unknown) => {
      liveDecoders--;
      library.cmdLnFree(config);
      throw error;
    });
    if (!decoder) {
      liveDecoders--;
      library.cmdLnFree(config);
      throw new ProviderUnavailableError(
        `PocketSphinx could not load its model (hmm ${options.acousticModelPath}); set logPath to see why`,
        { source: SOURCE, retryable: false },
      );
    }
    const opened = new Decoder(library, config, decoder);
    try {
      if (options.search.type === 'jsgf-text') {
        opened.#check(
          library.psSetJsgfString(decoder, JSGF_SEARCH, options.search.grammar),
          'ps_set_jsgf_string',
          true,
        );
        opened.#check(library.psSetSearch(decoder, JSGF_SEARCH), 'ps_set_search', true);
      }
      opened.#addPhraseSearch(options);
      await opened.startUtterance();
    } catch (error) {
      await opened.free();
      throw error;
    }
    return opened;
  }

  get isFreed(): boolean {
    return this.#isFreed;
  }

  /** A second reading of short utterances with the `phraseReading` grammar is possible. */
  get canReadPhrases(): boolean {
    return this.#phraseReading !== undefined;
  }

  /**
   * Decodes `samples` again with the phrase grammar, between utterances (after
   * {@link endUtterance}, before {@link startUtterance}); returns the phrase it heard, or ''.
   */
  async readPhrases(samples: Int16Array): Promise<string> {
    const reading = this.#phraseReading;
    if (!reading || samples.length === 0) return '';
    this.#check(this.library.psSetSearch(this.decoder, PHRASE_SEARCH), 'ps_set_search');
    try {
      await this.startUtterance();
      await this.process(samples);
      await this.endUtterance();
      return await this.hypothesis();
    } finally {
      this.#check(this.library.psSetSearch(this.decoder, reading.main), 'ps_set_search');
    }
  }

  #addPhraseSearch(options: ResolvedPocketsphinxSttOptions): void {
    if (!options.phraseReading || options.search.type !== 'language-model') return;
    const grammar = phraseGrammar(options.phraseReading.phrases, dictionaryWords(options.dictionaryPath));
    const main = this.library.psGetSearch(this.decoder);
    if (grammar === undefined || !main) return;
    this.#check(
      this.library.psSetJsgfString(this.decoder, PHRASE_SEARCH, grammar),
      'ps_set_jsgf_string',
      true,
    );
    this.#phraseReading = { main };
  }

  async startUtterance(): Promise<void> {
    this.#check(await callAsync(this.library.psStartUtt, this.decoder), 'ps_start_utt');
  }

  /** Feeds 16 kHz mono samples; the buffer must not change until the promise settles. */
  async process(samples: Int16Array): Promise<void> {
    const status = await callAsync(this.library.psProcessRaw, this.decoder, samples, samples.length, 0, 0);
    this.#check(status, 'ps_process_raw');
  }

  /** True while PocketSphinx's own voice detector hears speech (cheap: reads a flag). */
  isInSpeech(): boolean {
    return this.library.psGetInSpeech(this.decoder) !== 0;
  }

  /** The best hypothesis so far (partial during an utterance, final after {@link endUtterance}). */
  async hypothesis(): Promise<string> {
    const text = await callAsync(this.library.psGetHyp, this.decoder, null);
    return (text ?? '').trim();
  }

  async endUtterance(): Promise<void> {
    this.#check(await callAsync(this.library.psEndUtt, this.decoder), 'ps_end_utt');
  }

  /** Frees the decoder and its configuration; safe to call twice. */
  async free(): Promise<void> {
    if (this.#isFreed) return;
    this.#isFreed = true;
    try {
      await callAsync(this.library.psFree, this.decoder);
    } finally {
      this.library.cmdLnFree(this.config);
      liveDecoders--;
    }
  }

  #check(status: number, call: string, isConfig = false): void {
    if (status >= 0) return;
    if (isConfig) throw new ConfigError(`PocketSphinx rejected the grammar (${call} returned ${status})`);
    throw new ProviderUnavailableError(`PocketSphinx ${call} failed with ${status}`, {
      source: SOURCE,
      retryable: false,
    });
  }
}

function checkModelFiles(options: ResolvedPocketsphinxSttOptions): void {
  const defaults: readonly string[] = Object.values(DEBIAN_EN_US_MODEL);
  const missing = modelFiles(options).filter((file) => !existsSync(file.path));
  if (missing.length === 0) return;
  if (missing.every((file) => defaults.includes(file.path))) {
    throw new SystemDependencyError(
      `The PocketSphinx US English model is not installed (missing ${missing[0]!.path}). Install it with: ${POCKETSPHINX_INSTALL_LINE}`,
      { source: SOURCE },
    );
  }
  throw new ConfigError(
    'PocketSphinx model files not found',
    missing.map((file) => `${file.option}: no file at ${file.path}`),
    { source: SOURCE },
  );
}
