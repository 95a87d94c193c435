import { createVoiceSession, silentLogger, type VoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSocketPair, type SocketPair } from '../../test/socket-pair';
import type { ReadyMessage } from '../protocol/server-messages';
import { resolveTransportLimits } from './limits';
import { MemorySessionStore } from './memory-session-store';
import { parseResumeToken, sha256 } from './resume-token';
import { SessionKeeper } from './session-keeper';
import { type LinkHost, SessionLink } from './session-link';
import { type SessionSnapshot, SnapshotCodec } from './session-snapshot';

const pairs: SocketPair[] = [];
const sessions: VoiceSession[] = [];
const keepers: SessionKeeper<SessionLink>[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.close();
  for (const pair of pairs.splice(0)) await pair.close();
  for (const keeper of keepers.splice(0)) keeper.close();
});

async function pair(): Promise<SocketPair> {
  const connected = await connectSocketPair();
  pairs.push(connected);
  return connected;
}

/** A link over a real session with fake providers; the host records what the link tells it. */
function link(resumeWindowMs = 30_000) {
  const stt = new FakeStt();
  const session = createVoiceSession({
    stt,
    llm: new FakeLlm({ reply: 'Hello there.' }),
    tts: new FakeTts(),
    turnDetection: { minEndpointDelayMs: 0 },
  });
  sessions.push(session);
  const closed: string[] = [];
  const store = new MemorySessionStore();
  const codec = new SnapshotCodec();
  const keeper = new SessionKeeper<SessionLink>({
    store,
    codec,
    ttlMs: resumeWindowMs,
    timeoutMs: 1000,
    logger: silentLogger,
  });
  keepers.push(keeper);
  const host: LinkHost = {
    limits: resolveTransportLimits(),
    inputSampleRate: 16_000,
    resumeWindowMs,
    compactAudio: false,
    keeper,
    snapshotMetadata: () => ({ voice: 'calm' }),
    onRejected: () => {},
    onDropped: () => {},
    onClosed: (closedLink) => closed.push(closedLink.sessionId),
    onSessionError: () => {},
  };
  const bound = new SessionLink(session, 'alice', host, keeper.newRecord(sha256('alice')));
  /** What the store holds for `token` (spending it, as a resume on this node would). */
  const stored = async (token: string): Promise<SessionSnapshot | 'unknown'> => {
    const parsed = parseResumeToken(token)!;
    const taken = await store.take(parsed.recordId, parsed.tokenHash, sha256('alice'), bound.record.holder);
    if (taken.status !== 'taken') return 'unknown';
    return codec.decode(taken.snapshot, `${parsed.recordId}:${sha256('alice')}`) as SessionSnapshot;
  };
  return { link: bound, session, stt, closed, store, stored };
}

const readyOf = (p: SocketPair) => p.received.find((r) => r.event === 'ready')?.args[0] as ReadyMessage;

describe('SessionLink', () => {
  it('attaching a socket sends ready (session, a fresh resume token, the mic lane) and then the state', async () => {
    const { link: bound, session } = link();
    const client = await pair();
    bound.attach(client.server, 'new');
    const [ready, state] = await client.untilReceived(2);
    expect(ready!.event).toBe('ready');
    expect(ready!.args[0]).toMatchObject({
      sessionId: session.id,
      resumeToken: expect.stringMatching(/^[\w-]{22}\.[\w-]{32}$/),
      resumeWindowMs: 30_000,
      resumed: false,
      inputSampleRate: 16_000,
      isStarted: false,
    });
    expect(state).toMatchObject({ event: 'state', args: [{ agent: 'listening' }] });
  });

  it('a dropped socket suspends the session; the next socket resumes it and is told resumed', async () => {
    const { link: bound, session } = link();
    const first = await pair();
    bound.attach(first.server, 'new');
    bound.detach('disconnected: transport close', true);
    expect(session.isSuspended).toBe(true);
    expect(bound.isSuspended).toBe(true);
    const second = await pair();
    bound.attach(second.server, 'resumed');
    await second.untilReceived(1);
    expect(session.isSuspended).toBe(false);
    expect(readyOf(second)).toMatchObject({ sessionId: session.id, resumed: true });
  });

  it('a client that left on purpose ends the session at once, and the host is told', async () => {
    const { link: bound, session, closed } = link();
    bound.attach((await pair()).server, 'new');
    bound.detach('disconnected: client namespace disconnect', false);
    expect(session.isClosed).toBe(true);
    expect(closed).toEqual([session.id]);
  });

  it('without a resume window a drop closes the session', async () => {
    const { link: bound, session } = link(0);
    bound.attach((await pair()).server, 'new');
    bound.detach('disconnected: transport close', true);
    expect(session.isClosed).toBe(true);
  });

  it('the end of the resume window closes a suspended session', async () => {
    const { link: bound, session, closed } = link(20);
    bound.attach((await pair()).server, 'new');
    bound.detach('disconnected: transport close', true);
    await new Promise<void>((resolve) => session.once('closed', () => resolve()));
    expect(closed).toEqual([session.id]);
  });

  it('a takeover disconnects the previous socket and serves the new one without suspending', async () => {
    const { link: bound, session } = link();
    const first = await pair();
    const second = await pair();
    bound.attach(first.server, 'new');
    const suspensions: unknown[] = [];
    session.on('state', ({ state }) => state.agent === 'idle' && suspensions.push(state));
    bound.takeOver(second.server);
    expect(first.server.connected).toBe(false);
    expect(bound.socket).toBe(second.server);
    expect(suspensions).toEqual([]);
    await second.untilReceived(1);
    expect(readyOf(second)).toMatchObject({ sessionId: session.id, resumed: true });
  });

  it('applies messages from the bound socket only', async () => {
    const { link: bound, stt } = link();
    const first = await pair();
    const other = await pair();
    bound.attach(first.server, 'new');
    const frame = { seq: 0, sampleRate: 16_000, channels: 1, samples: new Int16Array(320) };
    bound.handle(first.server, { type: 'start', sampleRate: 16_000 });
    bound.handle(other.server, { type: 'audio', frame });
    bound.handle(first.server, { type: 'audio', frame });
    expect(stt.framesReceived).toBe(1);
  });

  it('when the session closes, the client gets closed with the reason and is disconnected', async () => {
    const { link: bound, session, closed } = link();
    const client = await pair();
    bound.attach(client.server, 'new');
    const disconnected = new Promise((resolve) => client.client.once('disconnect', resolve));
    session.close('agent finished');
    expect(await disconnected).toBe('io server disconnect');
    expect(client.received.at(-1)).toEqual({ event: 'closed', args: [{ reason: 'agent finished' }] });
    expect(closed).toEqual([session.id]);
  });

  it('saves the session at each finished turn and at a drop, and deletes it at close', async () => {
    const { link: bound, session, stored, store } = link();
    const client = await pair();
    bound.attach(client.server, 'new');
    const ready = (await client.untilReceived(1))[0]!.args[0] as ReadyMessage;
    const ended = new Promise((resolve) => session.once('speech-end', resolve));
    session.sendText('Hi, I am Ada.');
    await ended;
    await Promise.resolve();
    const checkpoint = await stored(ready.resumeToken);
    expect(checkpoint).toMatchObject({
      sessionId: session.id,
      identityId: 'alice',
      savedOn: 'turn',
      metadata: { voice: 'calm' },
      history: [
        { role: 'user', content: 'Hi, I am Ada.' },
        { role: 'assistant', content: 'Hello there.' },
      ],
      lastSpeech: { interrupted: false, heardText: 'Hello there.' },
    });
    // The take above spent that token: a replay finds nothing.
    expect(await stored(ready.resumeToken)).toBe('unknown');

    const again = await pair();
    bound.attach(again.server, 'resumed');
    const next = (await again.untilReceived(1))[0]!.args[0] as ReadyMessage;
    bound.detach('disconnected: transport close', true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await stored(next.resumeToken)).toMatchObject({ savedOn: 'drop', history: { length: 2 } });

    session.close('done');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.size).toBe(0);
  });

  it('closes its session when another node took the session over', async () => {
    const { link: bound, session, store } = link();
    const client = await pair();
    bound.attach(client.server, 'new');
    const ready = (await client.untilReceived(1))[0]!.args[0] as ReadyMessage;
    const parsed = parseResumeToken(ready.resumeToken)!;
    expect(
      await store.take(parsed.recordId, parsed.tokenHash, sha256('alice'), 'another-node'),
    ).toMatchObject({
      status: 'taken',
    });
    const closed = new Promise<{ reason: string }>((resolve) => session.once('closed', resolve));
    bound.record.save('turn'); // this node's next write finds the record taken
    expect(await closed).toMatchObject({ reason: 'resumed on another server' });
    // Its own delete leaves the new holder's record alone.
    expect(store.size).toBe(1);
  });
});
