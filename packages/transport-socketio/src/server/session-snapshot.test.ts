import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../protocol/version';
import { type SessionSnapshot, SNAPSHOT_VERSION, SnapshotCodec } from './session-snapshot';
import { SnapshotCipher } from './snapshot-cipher';

const snapshot: SessionSnapshot = {
  version: SNAPSHOT_VERSION,
  protocol: PROTOCOL_VERSION,
  sessionId: 'session_a_1',
  identityId: 'alice',
  savedAtMs: 1_700_000_000_000,
  savedOn: 'drop',
  history: [
    { role: 'user', content: 'My PIN is 1234.' },
    { role: 'assistant', content: 'Noted, I will', interrupted: true },
  ],
  isStarted: true,
  lastSpeech: { turnId: 't1', speechId: 's1', interrupted: true, heardText: 'Noted, I will' },
  metadata: { voice: 'calm' },
};
const key = Buffer.alloc(32, 1);

describe('SnapshotCodec', () => {
  it('round-trips a snapshot as JSON', () => {
    const codec = new SnapshotCodec();
    expect(codec.decode(codec.encode(snapshot, 'r:o'), 'r:o')).toEqual(snapshot);
  });

  it('sealed, it shows no conversation text and opens only for its record and owner', () => {
    const codec = new SnapshotCodec(new SnapshotCipher(key));
    const sealed = codec.encode(snapshot, 'record-1:alice');
    expect(sealed).not.toContain('1234');
    expect(codec.decode(sealed, 'record-1:alice')).toEqual(snapshot);
    expect(codec.decode(sealed, 'record-1:mallory')).toMatchObject({ problem: 'unreadable' });
    expect(codec.decode(sealed, 'record-2:alice')).toMatchObject({ problem: 'unreadable' });
  });

  it('refuses an altered sealed snapshot, another key, and a plain one when it seals', () => {
    const codec = new SnapshotCodec(new SnapshotCipher(key));
    const sealed = codec.encode(snapshot, 'r:o');
    const body = Buffer.from(sealed.slice('sealed1.'.length), 'base64');
    body[20] = body[20]! ^ 1;
    expect(codec.decode(`sealed1.${body.toString('base64')}`, 'r:o')).toMatchObject({
      problem: 'unreadable',
    });
    expect(new SnapshotCodec(new SnapshotCipher(Buffer.alloc(32, 2))).decode(sealed, 'r:o')).toMatchObject({
      problem: 'unreadable',
    });
    expect(new SnapshotCodec().decode(sealed, 'r:o')).toMatchObject({ problem: 'unreadable' });
    expect(codec.decode(new SnapshotCodec().encode(snapshot, 'r:o'), 'r:o')).toMatchObject({
      problem: 'unreadable',
    });
  });

  it('calls another format or protocol incompatible, and broken JSON or fields unreadable or incompatible', () => {
    const codec = new SnapshotCodec();
    expect(codec.decode(JSON.stringify({ ...snapshot, version: 2 }), 'r:o')).toMatchObject({
      problem: 'incompatible',
    });
    expect(codec.decode(JSON.stringify({ ...snapshot, protocol: 2 }), 'r:o')).toMatchObject({
      problem: 'incompatible',
    });
    expect(codec.decode('{not json', 'r:o')).toMatchObject({ problem: 'unreadable' });
    expect(codec.decode(JSON.stringify({ ...snapshot, history: [{ role: 'wizard' }] }), 'r:o')).toMatchObject(
      {
        problem: 'incompatible',
      },
    );
  });

  it('takes a key as 32 bytes, base64 or hex, and refuses any other length at once', () => {
    for (const spelling of [key, key.toString('base64'), key.toString('hex')])
      expect(() => new SnapshotCipher(spelling)).not.toThrow();
    expect(() => new SnapshotCipher('too short')).toThrow(/32 bytes/);
    expect(() => new SnapshotCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
