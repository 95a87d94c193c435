export { pocketsphinxSttFactory } from './factory';
export { checkFrameFormat, POCKETSPHINX_SAMPLE_RATE } from './frame-format';
export { liveDecoderCount } from './native/decoder';
export { POCKETSPHINX_INSTALL_LINE } from './native/install-hint';
export { DEFAULT_LIBRARY_PATHS, type LibraryPaths } from './native/pocketsphinx-library';
export {
  DEBIAN_EN_US_MODEL,
  type PocketsphinxSearch,
  type PocketsphinxSttOptions,
  pocketsphinxSttOptionsSchema,
  type ResolvedPocketsphinxSttOptions,
} from './options';
export { PocketsphinxStt } from './pocketsphinx-stt';
