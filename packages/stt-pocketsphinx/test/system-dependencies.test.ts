import { ConfigError, SystemDependencyError, type VoxError } from '@voxduplex/core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import {
  liveDecoderCount,
  POCKETSPHINX_INSTALL_LINE,
  PocketsphinxStt,
  type PocketsphinxSttOptions,
} from '../src/index';

const silence = () => from([{ samples: new Int16Array(320), sampleRate: 16000, channels: 1, startMs: 0 }]);
const failure = (options: PocketsphinxSttOptions) =>
  lastValueFrom(new PocketsphinxStt(options).transcribe(silence()).pipe(toArray())).catch((e: unknown) => e);

describe('PocketsphinxStt when the system lacks something', () => {
  it('errors with a SystemDependencyError naming the apt-get line when the library is missing', async () => {
    const error = await failure({
      libraryPaths: { pocketsphinx: '/nonexistent/libpocketsphinx.so.3', sphinxbase: 'libsphinxbase.so.3' },
    });
    expect(error).toBeInstanceOf(SystemDependencyError);
    expect((error as VoxError).code).toBe('system_dependency_missing');
    expect((error as Error).message).toContain('/nonexistent/libpocketsphinx.so.3');
    expect((error as Error).message).toContain(POCKETSPHINX_INSTALL_LINE);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
    expect(liveDecoderCount()).toBe(0);
  });

  it('reports a missing sphinxbase the same way', async () => {
    const error = await failure({
      libraryPaths: { pocketsphinx: 'libpocketsphinx.so.3', sphinxbase: '/nonexistent/libsphinxbase.so.3' },
    });
    expect(error).toBeInstanceOf(SystemDependencyError);
    expect((error as Error).message).toContain('apt-get install');
  });

  it('errors with a ConfigError naming the option when a model file the caller chose is missing', async () => {
    const error = await failure({ dictionaryPath: '/nonexistent/words.dict' });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual(['dictionaryPath: no file at /nonexistent/words.dict']);
    expect(liveDecoderCount()).toBe(0);
  });

  it('errors with a ConfigError when the decoder rejects an extra argument', async () => {
    const error = await failure({ decoderArguments: { '-no_such_flag': '1' } });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('-no_such_flag');
    expect(liveDecoderCount()).toBe(0);
  });

  it('errors with a ConfigError when a JSGF grammar does not parse, and frees the decoder', async () => {
    const error = await failure({ search: { type: 'jsgf-text', grammar: 'this is not jsgf' } });
    expect(error).toBeInstanceOf(ConfigError);
    await vi.waitFor(() => expect(liveDecoderCount()).toBe(0), { timeout: 30_000 });
  });

  it('throws a ConfigError listing every malformed option at construction', () => {
    const build = () =>
      new PocketsphinxStt({
        endpointSilenceMs: -1,
        search: { type: 'keyphrase', keyphrase: ' ' },
      } as PocketsphinxSttOptions);
    expect(build).toThrow(ConfigError);
    try {
      build();
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.split(':')[0])).toEqual([
        'search.keyphrase',
        'endpointSilenceMs',
      ]);
    }
  });
});
