import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { signTelnyxWebhook } from '../testing/telnyx-webhook-signer';
import { isValidTelnyxSignature, telnyxPublicKey } from './signature';

const telnyx = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
/** The public key as Telnyx shows it: base64 of the 32 raw bytes. */
const shown = Buffer.from(telnyx.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
const BODY = 'CallSid=v3%3Aabc&From=%2B13122010094&To=%2B13122123456';
const NOW = 1_760_000_000;

function check(body: string, headers: Record<string, string | undefined>, nowSec = NOW) {
  return isValidTelnyxSignature({
    publicKey: telnyxPublicKey(shown),
    signature: headers['telnyx-signature-ed25519'],
    timestamp: headers['telnyx-timestamp'],
    body,
    nowSec,
  });
}

describe('Telnyx webhook signatures (Ed25519 over timestamp|body)', () => {
  it('accepts a request Telnyx signed, within the tolerance', () => {
    const headers = signTelnyxWebhook(telnyx.privateKey, BODY, NOW - 10);
    expect(check(BODY, headers)).toBe(true);
    expect(check(BODY, headers, NOW + 280)).toBe(true);
  });

  it('refuses an unsigned, wrongly signed, tampered or replayed request', () => {
    const headers = signTelnyxWebhook(telnyx.privateKey, BODY, NOW);
    expect(check(BODY, {})).toBe(false);
    expect(check(BODY, signTelnyxWebhook(other.privateKey, BODY, NOW))).toBe(false);
    expect(check(BODY.replace('2010094', '9999999'), headers)).toBe(false);
    expect(check(BODY, { ...headers, 'telnyx-timestamp': String(NOW + 1) })).toBe(false);
    expect(check(BODY, headers, NOW + 301)).toBe(false);
    expect(check(BODY, { ...headers, 'telnyx-signature-ed25519': 'bm90IGEgc2lnbmF0dXJl' })).toBe(false);
  });

  it('takes the key as Telnyx shows it, as PEM or as a KeyObject, and nothing else', () => {
    const pem = telnyx.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(telnyxPublicKey(pem).equals(telnyx.publicKey)).toBe(true);
    expect(telnyxPublicKey(shown).equals(telnyx.publicKey)).toBe(true);
    expect(() => telnyxPublicKey('c2hvcnQ=')).toThrow(ConfigError);
    expect(() => telnyxPublicKey(telnyx.privateKey)).toThrow(ConfigError);
    expect(() => telnyxPublicKey(generateKeyPairSync('x25519').publicKey)).toThrow(ConfigError);
  });
});
