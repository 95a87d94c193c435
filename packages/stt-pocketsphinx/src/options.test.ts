import { describe, expect, it } from 'vitest';
import { DEBIAN_EN_US_MODEL, decoderFlags, modelFiles, resolveOptions } from './options';

describe('decoderFlags', () => {
  it('defaults to the Debian en-US model with its language model and 500 ms endpoint silence', () => {
    expect(decoderFlags(resolveOptions())).toEqual([
      ['-hmm', DEBIAN_EN_US_MODEL.acousticModelPath],
      ['-dict', DEBIAN_EN_US_MODEL.dictionaryPath],
      ['-samprate', '16000'],
      ['-vad_postspeech', '50'],
      ['-logfn', '/dev/null'],
      ['-lm', DEBIAN_EN_US_MODEL.languageModelPath],
    ]);
  });

  it('uses a key phrase instead of the language model in keyphrase search', () => {
    const flags = new Map(
      decoderFlags(resolveOptions({ search: { type: 'keyphrase', keyphrase: 'hey robot' } })),
    );
    expect(flags.get('-keyphrase')).toBe('hey robot');
    expect(flags.get('-kws_threshold')).toBe('1e-20');
    expect(flags.has('-lm')).toBe(false);
  });

  it('lets extra decoder arguments override the ones it derives', () => {
    const flags = decoderFlags(
      resolveOptions({
        endpointSilenceMs: 300,
        decoderArguments: { '-vad_postspeech': '70', '-vad_threshold': '3.0' },
      }),
    );
    expect(flags.filter(([name]) => name === '-vad_postspeech')).toEqual([['-vad_postspeech', '70']]);
    expect(flags.at(-1)).toEqual(['-vad_threshold', '3.0']);
  });
});

describe('modelFiles', () => {
  it('checks the grammar file instead of the language model in JSGF search', () => {
    const files = modelFiles(resolveOptions({ search: { type: 'jsgf', path: '/g/robot.gram' } }));
    expect(files.map((file) => file.option)).toEqual(['acousticModelPath', 'dictionaryPath', 'search.path']);
  });
});
