export { type CancellationContext, voxErrorFromCancellation } from './cancellation-errors';
export { preferNpmWebSocket } from './npm-web-socket';
