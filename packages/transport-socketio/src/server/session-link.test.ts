import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSocketPair, type SocketPair } from '../../test/socket-pair';
import type { ReadyMessage } from '../protocol/server-messages';
import { resolveTransportLimits } from './limits';
import { type LinkHost, SessionLink } from './session-link';

const pairs: SocketPair[] = [];
const sessions: VoiceSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.close();
  for (const pair of pairs.splice(0)) await pair.close();
});

async function pair(): Promise<SocketPair> {
  const connected = await connectSocketPair();
  pairs.push(connected);
  return connected;
}

/** A link over a real session with fake providers; the host records what the link tells it. */
function link(resumeWindowMs = 30_000) {
  const stt = new FakeStt();
  const session = createVoiceSession({ stt, llm: new FakeLlm(), tts: new FakeTts() });
  sessions.push(session);
  const closed: string[] = [];
  let tokens = 0;
  const host: LinkHost = {
    limits: resolveTransportLimits(),
    inputSampleRate: 16_000,
    resumeWindowMs,
    compactAudio: false,
    issueToken: (sessionId, identityId) => `${identityId}:${sessionId}:${++tokens}`,
    onRejected: () => {},
    onDropped: () => {},
    onClosed: (closedLink) => closed.push(closedLink.sessionId),
    onSessionError: () => {},
  };
  return { link: new SessionLink(session, 'alice', host), session, stt, closed };
}

const readyOf = (p: SocketPair) => p.received.find((r) => r.event === 'ready')?.args[0] as ReadyMessage;

describe('SessionLink', () => {
  it('attaching a socket sends ready (session, a fresh resume token, the mic lane) and then the state', async () => {
    const { link: bound, session } = link();
    const client = await pair();
    bound.attach(client.server, false);
    const [ready, state] = await client.untilReceived(2);
    expect(ready!.event).toBe('ready');
    expect(ready!.args[0]).toMatchObject({
      sessionId: session.id,
      resumeToken: `alice:${session.id}:1`,
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
    bound.attach(first.server, false);
    bound.detach('disconnected: transport close', true);
    expect(session.isSuspended).toBe(true);
    expect(bound.isSuspended).toBe(true);
    const second = await pair();
    bound.attach(second.server, true);
    await second.untilReceived(1);
    expect(session.isSuspended).toBe(false);
    expect(readyOf(second)).toMatchObject({ sessionId: session.id, resumed: true });
  });

  it('a client that left on purpose ends the session at once, and the host is told', async () => {
    const { link: bound, session, closed } = link();
    bound.attach((await pair()).server, false);
    bound.detach('disconnected: client namespace disconnect', false);
    expect(session.isClosed).toBe(true);
    expect(closed).toEqual([session.id]);
  });

  it('without a resume window a drop closes the session', async () => {
    const { link: bound, session } = link(0);
    bound.attach((await pair()).server, false);
    bound.detach('disconnected: transport close', true);
    expect(session.isClosed).toBe(true);
  });

  it('the end of the resume window closes a suspended session', async () => {
    const { link: bound, session, closed } = link(20);
    bound.attach((await pair()).server, false);
    bound.detach('disconnected: transport close', true);
    await new Promise<void>((resolve) => session.once('closed', () => resolve()));
    expect(closed).toEqual([session.id]);
  });

  it('a takeover disconnects the previous socket and serves the new one without suspending', async () => {
    const { link: bound, session } = link();
    const first = await pair();
    const second = await pair();
    bound.attach(first.server, false);
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
    bound.attach(first.server, false);
    const frame = { seq: 0, sampleRate: 16_000, channels: 1, samples: new Int16Array(320) };
    bound.handle(first.server, { type: 'start', sampleRate: 16_000 });
    bound.handle(other.server, { type: 'audio', frame });
    bound.handle(first.server, { type: 'audio', frame });
    expect(stt.framesReceived).toBe(1);
  });

  it('when the session closes, the client gets closed with the reason and is disconnected', async () => {
    const { link: bound, session, closed } = link();
    const client = await pair();
    bound.attach(client.server, false);
    const disconnected = new Promise((resolve) => client.client.once('disconnect', resolve));
    session.close('agent finished');
    expect(await disconnected).toBe('io server disconnect');
    expect(client.received.at(-1)).toEqual({ event: 'closed', args: [{ reason: 'agent finished' }] });
    expect(closed).toEqual([session.id]);
  });
});
