// The SDK's own switch; it has no public setter. The package has no `exports` map, so the file is reachable.
import { WebsocketMessageAdapter } from 'microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/WebsocketMessageAdapter.js';

/**
 * Makes the Speech SDK open its sockets with the npm `ws` package, as it does on Node < 22.
 *
 * On Node >= 22 the SDK picks the global `WebSocket`, which hides the HTTP status of a refused
 * upgrade: a bad key (401) looks like a network failure (`ConnectionFailure`, no status) and
 * would be retried as an outage. With `ws` the status reaches the error details (`Unexpected
 * server response: 401`), so it maps to `ProviderAuthError` after one attempt. Measured against
 * the emulator: one upgrade instead of two, the error after ~23 ms instead of ~47 ms. The other
 * way out, checking the key first, costs a round trip to another endpoint on every start.
 *
 * Process-wide (it sets `WebsocketMessageAdapter.forceNpmWebSocket`); idempotent. The Azure
 * adapters call it when constructed.
 */
export function preferNpmWebSocket(): void {
  WebsocketMessageAdapter.forceNpmWebSocket = true;
}
