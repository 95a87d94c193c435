import { type KeyObject, sign } from 'node:crypto';

/**
 * The headers Telnyx sends with a webhook whose body is `body`, signed with `privateKey` (an
 * Ed25519 key: in tests, one from `generateKeyPairSync('ed25519')`): `telnyx-timestamp` (Unix
 * seconds, default now) and `telnyx-signature-ed25519` (base64 Ed25519 over `timestamp|body`).
 */
export function signTelnyxWebhook(
  privateKey: KeyObject,
  body: string | Uint8Array,
  timestampSec: number = Math.floor(Date.now() / 1000),
): { 'telnyx-timestamp': string; 'telnyx-signature-ed25519': string } {
  const timestamp = String(timestampSec);
  const signature = sign(null, Buffer.concat([Buffer.from(`${timestamp}|`), Buffer.from(body)]), privateKey);
  return { 'telnyx-timestamp': timestamp, 'telnyx-signature-ed25519': signature.toString('base64') };
}
