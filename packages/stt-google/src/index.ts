export { googleSttFactory } from './factory';
export { GoogleStt, type GoogleSttStats } from './google-stt';
export {
  type GoogleSttOptions,
  googleConnectionSchema,
  googleSttOptionsSchema,
  MAX_REQUEST_BYTES,
} from './options';
