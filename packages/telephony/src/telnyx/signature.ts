import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { ConfigError } from '@voxduplex/core';

/** Largest clock difference accepted by default between `telnyx-timestamp` and now, seconds. */
export const TELNYX_SIGNATURE_TOLERANCE_SEC = 300;

/**
 * The account's webhook public key as a `KeyObject`. Telnyx shows it (Mission Control → Keys &
 * Credentials → Public Key) as base64 of the 32 raw Ed25519 bytes; a PEM (SPKI) key or a
 * `KeyObject` is taken as well.
 *
 * @throws ConfigError when it is not an Ed25519 public key.
 */
export function telnyxPublicKey(key: string | KeyObject): KeyObject {
  let keyObject: KeyObject;
  try {
    if (typeof key !== 'string') keyObject = key;
    else if (key.includes('-----BEGIN')) keyObject = createPublicKey(key);
    else {
      const raw = Buffer.from(key.trim(), 'base64');
      if (raw.length !== 32) throw new Error(`${raw.length} bytes, not 32`);
      keyObject = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
        format: 'jwk',
      });
    }
  } catch (error) {
    throw new ConfigError('Invalid Telnyx public key', [
      `publicKey: base64 of the 32-byte Ed25519 key Telnyx shows, or a PEM key (${(error as Error).message})`,
    ]);
  }
  if (keyObject.type !== 'public' || keyObject.asymmetricKeyType !== 'ed25519')
    throw new ConfigError('Invalid Telnyx public key', ['publicKey: must be an Ed25519 public key']);
  return keyObject;
}

/** Options of {@link isValidTelnyxSignature}. */
export interface TelnyxSignatureCheck {
  /** The account's public key ({@link telnyxPublicKey}). */
  readonly publicKey: KeyObject;
  /** The `telnyx-signature-ed25519` header: base64 of the Ed25519 signature. */
  readonly signature: string | undefined;
  /** The `telnyx-timestamp` header: Unix seconds when Telnyx sent the request. */
  readonly timestamp: string | undefined;
  /** The request body exactly as received (bytes, before any parsing). */
  readonly body: Uint8Array | string;
  /** Largest accepted distance between the timestamp and now, seconds (default 300). */
  readonly toleranceSec?: number;
  /** Now, Unix seconds (default the clock). */
  readonly nowSec?: number;
}

/**
 * Whether a webhook request was signed by Telnyx, as its "Webhook signing" page documents:
 * an Ed25519 signature, by the account's key, over `<telnyx-timestamp>|<raw body>`, and a
 * timestamp within `toleranceSec` of now (a replayed old request is refused).
 */
export function isValidTelnyxSignature(check: TelnyxSignatureCheck): boolean {
  const { signature, timestamp, body } = check;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSec = check.nowSec ?? Date.now() / 1000;
  if (Math.abs(nowSec - Number(timestamp)) > (check.toleranceSec ?? TELNYX_SIGNATURE_TOLERANCE_SEC))
    return false;
  const signed = Buffer.concat([Buffer.from(`${timestamp}|`), Buffer.from(body)]);
  try {
    return verify(null, signed, check.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
