import { type ChatMessage, chatMessageSchema } from '@voxduplex/core';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../protocol/version';
import { SnapshotCipher } from './snapshot-cipher';

/** The snapshot format this package writes and reads. A snapshot of another format is refused. */
export const SNAPSHOT_VERSION = 1 as const;

/**
 * A session as another node needs it to carry on: the conversation, whose it is, the app's
 * restorable settings and where the last speech was cut. It holds the conversation's text —
 * treat the store as holding user data (see `snapshotKey` to seal it).
 */
export interface SessionSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  /** The wire protocol of the node that wrote it. */
  readonly protocol: number;
  readonly sessionId: string;
  /** The identity the session was started for (`VoiceAgentIdentity.id`). */
  readonly identityId: string;
  /** When it was written, epoch ms. */
  readonly savedAtMs: number;
  /**
   * `drop`: written when the client dropped, complete (a reply cut at the last acked position).
   * `turn`: the checkpoint after the last finished turn; whatever followed it was lost.
   */
  readonly savedOn: 'drop' | 'turn';
  /** The conversation without the system prompt (the app sets that again). */
  readonly history: readonly ChatMessage[];
  /** Whether the client's microphone lane was open. */
  readonly isStarted: boolean;
  /** The last speech that ended, and what of it was heard (its cut position, when interrupted). */
  readonly lastSpeech?: {
    readonly turnId: string;
    readonly speechId: string;
    readonly interrupted: boolean;
    readonly heardText: string;
  };
  /** What `snapshotMetadata` returned: the settings the app marked restorable (JSON). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

const snapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  protocol: z.literal(PROTOCOL_VERSION),
  sessionId: z.string().min(1),
  identityId: z.string(),
  savedAtMs: z.number(),
  savedOn: z.enum(['drop', 'turn']),
  history: z.array(chatMessageSchema),
  isStarted: z.boolean(),
  lastSpeech: z
    .object({ turnId: z.string(), speechId: z.string(), interrupted: z.boolean(), heardText: z.string() })
    .optional(),
  metadata: z.record(z.string(), z.unknown()),
});

/** Why a stored snapshot could not be used. */
export type SnapshotProblem =
  /** Another format or protocol version (a node of another release wrote it). */
  | 'incompatible'
  /** Sealed with a key this node lacks, bound to another record or owner, altered, or not JSON. */
  | 'unreadable';

/**
 * Turns snapshots into the store's strings and back: JSON, sealed with the app's key when one
 * is given. `boundTo` (record id and owner hash) is the sealed snapshot's associated data.
 */
export class SnapshotCodec {
  readonly #cipher: SnapshotCipher | undefined;

  constructor(cipher?: SnapshotCipher) {
    this.#cipher = cipher;
  }

  encode(snapshot: SessionSnapshot, boundTo: string): string {
    const json = JSON.stringify(snapshot);
    return this.#cipher ? this.#cipher.seal(json, boundTo) : json;
  }

  decode(text: string, boundTo: string): SessionSnapshot | { problem: SnapshotProblem; why: string } {
    let json = text;
    if (SnapshotCipher.isSealed(text)) {
      if (!this.#cipher) return { problem: 'unreadable', why: 'sealed, and this server has no snapshotKey' };
      const opened = this.#cipher.open(text, boundTo);
      if (opened === undefined)
        return { problem: 'unreadable', why: 'sealed with another key, for another record, or altered' };
      json = opened;
    } else if (this.#cipher)
      return { problem: 'unreadable', why: 'not sealed, and this server seals snapshots' };
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return { problem: 'unreadable', why: 'not JSON' };
    }
    const version = (value as { version?: unknown } | null)?.version;
    const protocol = (value as { protocol?: unknown } | null)?.protocol;
    if (version !== SNAPSHOT_VERSION || protocol !== PROTOCOL_VERSION)
      return {
        problem: 'incompatible',
        why: `snapshot format ${String(version)} / protocol ${String(protocol)}; this server reads ${SNAPSHOT_VERSION} / ${PROTOCOL_VERSION}`,
      };
    const parsed = snapshotSchema.safeParse(value);
    if (!parsed.success) return { problem: 'incompatible', why: `snapshot fields: ${parsed.error.message}` };
    return parsed.data as SessionSnapshot;
  }
}
