import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '@voxduplex/core';

/** A 256-bit key: 32 bytes, or their base64 (44 characters) or hex (64 characters) spelling. */
export type SnapshotKey = string | Uint8Array;

const SEALED_PREFIX = 'sealed1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals snapshots with AES-256-GCM (node:crypto) so a reader of the store sees neither the
 * conversation nor anything it could alter unnoticed. The associated data binds each sealed
 * snapshot to its record and owner: moved to another record, or opened for another identity,
 * it fails to open. The first key seals; every key is tried to open, so a key can be rotated by
 * putting the new one first and dropping the old one after the resume window.
 */
export class SnapshotCipher {
  readonly #keys: Buffer[];

  /** @throws ConfigError when a key is not 32 bytes. */
  constructor(keys: SnapshotKey | readonly SnapshotKey[]) {
    const list = Array.isArray(keys) ? keys : [keys as SnapshotKey];
    if (list.length === 0) throw new ConfigError('Invalid snapshotKey', ['give at least one key']);
    this.#keys = list.map((key, index) => toKeyBytes(key, index));
  }

  /** Whether `text` was sealed (rather than plain JSON). */
  static isSealed(text: string): boolean {
    return text.startsWith(SEALED_PREFIX);
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys[0]!, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return SEALED_PREFIX + sealed.toString('base64');
  }

  /** The plain text, or `undefined` when no key opens it (wrong key, other record or owner, altered). */
  open(text: string, boundTo: string): string | undefined {
    const sealed = Buffer.from(text.slice(SEALED_PREFIX.length), 'base64');
    if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
    const iv = sealed.subarray(0, IV_BYTES);
    const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    for (const key of this.#keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // Not this key (or not this record): try the next.
      }
    }
    return undefined;
  }
}

function toKeyBytes(key: SnapshotKey, index: number): Buffer {
  let bytes: Buffer | undefined;
  if (typeof key !== 'string') bytes = Buffer.from(key);
  else if (/^[0-9a-f]{64}$/i.test(key)) bytes = Buffer.from(key, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(key)) bytes = Buffer.from(key, 'base64');
  if (bytes?.length !== 32)
    throw new ConfigError('Invalid snapshotKey', [
      `key ${index}: expected 32 bytes (a Uint8Array, 64 hex or 44 base64 characters), ` +
        "e.g. crypto.randomBytes(32).toString('base64')",
    ]);
  return bytes;
}
