export { googleConnectionSchema } from '@voxduplex/google-common';
export { googleSttFactory } from './factory';
export { GoogleStt, type GoogleSttStats } from './google-stt';
export {
  type GoogleSttOptions,
  googleSttOptionsSchema,
  MAX_REQUEST_BYTES,
} from './options';
