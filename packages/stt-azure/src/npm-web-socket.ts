import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Makes the Speech SDK open its sockets with the npm `ws` package, as it does on Node < 22.
 *
 * On Node >= 22 the SDK picks the global `WebSocket`, which hides the HTTP status of a refused
 * upgrade: a bad key (401) looks like a network failure (`ConnectionFailure`, no status) and would
 * be retried as an outage. With `ws` the status reaches the error text (`Unexpected server
 * response: 401`), so it maps to `ProviderAuthError` after one attempt. Measured against the
 * emulator: one upgrade instead of two, the error in ~23 ms instead of ~47 ms. The other way out,
 * checking the key first, costs a round trip to another endpoint on every start.
 *
 * Process-wide (the SDK's own switch, `WebsocketMessageAdapter.forceNpmWebSocket`); idempotent.
 */
export function preferNpmWebSocket(): void {
  const adapter =
    require('microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/WebsocketMessageAdapter.js') as {
      WebsocketMessageAdapter: { forceNpmWebSocket: boolean };
    };
  adapter.WebsocketMessageAdapter.forceNpmWebSocket = true;
}
