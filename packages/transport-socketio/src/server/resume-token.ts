import { createHash, randomBytes } from 'node:crypto';

/**
 * Resume tokens name their record: `<recordId>.<secret>`. The record id says where to look
 * (any node can find the session), the 192-bit secret proves the bearer got it from `ready`.
 * Stores keep only the SHA-256 of the whole token, so reading a store does not let anyone resume.
 */
export interface ParsedResumeToken {
  readonly recordId: string;
  readonly tokenHash: string;
}

const RECORD_ID = /^[A-Za-z0-9_-]{22}$/;
const SECRET = /^[A-Za-z0-9_-]{32}$/;

/** A new random record id (128 bits): one per conversation, kept when it moves to another node. */
export function newRecordId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new random link holder id: which node's link holds a record. */
export function newHolderId(): string {
  return randomBytes(12).toString('base64url');
}

/** A fresh token for `recordId`, and the hash the store keeps. */
export function issueResumeToken(recordId: string): { token: string; tokenHash: string } {
  const token = `${recordId}.${randomBytes(24).toString('base64url')}`;
  return { token, tokenHash: sha256(token) };
}

/** The record a token points at, or `undefined` for anything this server never issued. */
export function parseResumeToken(token: string): ParsedResumeToken | undefined {
  const [recordId, secret, extra] = token.split('.');
  if (extra !== undefined || !recordId || !secret || !RECORD_ID.test(recordId) || !SECRET.test(secret))
    return undefined;
  return { recordId, tokenHash: sha256(token) };
}

/** SHA-256, base64url: how tokens and owners are kept in a store. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
