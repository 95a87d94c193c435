import { ProviderQuotaError, type SessionEvent } from '@voxduplex/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectSocketPair, type Received, type SocketPair } from '../../test/socket-pair';
import type { AgentAudioHeader } from '../protocol/server-messages';
import { OutboundForwarder } from './outbound-forwarder';

const audio = (speechId: string, seq: number, durationMs = 100): SessionEvent => ({
  type: 'audio',
  audio: {
    turnId: 't1',
    speechId,
    seq,
    samples: new Int16Array(16 * durationMs),
    sampleRate: 16_000,
    channels: 1,
    offsetMs: seq * durationMs,
    durationMs,
    sentenceIndex: 0,
  },
});
const generated = (speechId: string, audioMs: number): SessionEvent => ({
  type: 'speech-generated',
  turnId: 't1',
  speechId,
  audioMs,
});
/** An event sent after the others: once it arrives, everything sent before it has arrived. */
const marker = (text: string): SessionEvent => ({ type: 'user-turn', turnId: 't2', text });

/** `a0`, `control:interrupt a`, `audio-end a`, `error audio_dropped`… */
function describeReceived(received: Received[]): string[] {
  return received.map(({ event, args }) => {
    const [payload] = args as [Record<string, unknown>];
    if (event === 'agent-audio') return `${payload.speechId}${payload.seq}`;
    if (event === 'control') return `control:${payload.type} ${payload.speechId}`;
    if (event === 'audio-end') return `audio-end ${payload.speechId}`;
    if (event === 'error') return `error ${payload.reason}`;
    if (event === 'user-turn') return `${payload.text}`;
    return event;
  });
}

/** Calls the receipt ack of the `index`-th agent audio chunk the client received. */
function ack(pair: SocketPair, index: number): void {
  const chunks = pair.received.filter((r) => r.event === 'agent-audio');
  (chunks[index]!.args[2] as () => void)();
}

let pair: SocketPair;
let droppedMs: number[];
beforeEach(async () => {
  pair = await connectSocketPair();
  droppedMs = [];
});
afterEach(() => pair.close());

function forwarder(windowMs: number, maxQueueMs: number) {
  const outbound = new OutboundForwarder({ windowMs, maxQueueMs }, (ms) => droppedMs.push(ms));
  outbound.attach(pair.server);
  return outbound;
}

describe('OutboundForwarder', () => {
  it('sends agent audio as a header and Int16 PCM with a receipt ack, then audio-end behind the last chunk', async () => {
    const outbound = forwarder(1000, 1000);
    outbound.forward(audio('a', 0));
    outbound.forward(audio('a', 1, 40));
    outbound.forward(generated('a', 140));
    const received = await pair.untilReceived(3);
    expect(describeReceived(received)).toEqual(['a0', 'a1', 'audio-end a']);
    const [header, pcm, receiptAck] = received[1]!.args as [AgentAudioHeader, ArrayBuffer, unknown];
    expect(header).toEqual({
      turnId: 't1',
      speechId: 'a',
      seq: 1,
      sampleRate: 16_000,
      channels: 1,
      offsetMs: 40,
      durationMs: 40,
      sentenceIndex: 0,
    });
    expect(pcm.byteLength).toBe(16 * 40 * 2);
    expect(typeof receiptAck).toBe('function');
    expect(received[2]!.args[0]).toEqual({ turnId: 't1', speechId: 'a', audioMs: 140 });
  });

  it('holds audio beyond the window until the client acks; audio-end waits behind it', async () => {
    const outbound = forwarder(100, 1000);
    outbound.forward(audio('a', 0));
    outbound.forward(audio('a', 1));
    outbound.forward(generated('a', 200));
    outbound.forward(marker('held'));
    expect(describeReceived(await pair.untilReceived(2))).toEqual(['a0', 'held']);
    ack(pair, 0);
    await pair.untilReceived(3);
    ack(pair, 1);
    expect(describeReceived(await pair.untilReceived(4))).toEqual(['a0', 'held', 'a1', 'audio-end a']);
  });

  it("an interrupt control purges the dead speech's queued audio and skips the queue", async () => {
    const outbound = forwarder(100, 1000);
    outbound.forward(audio('a', 0));
    outbound.forward(audio('a', 1));
    outbound.forward(audio('a', 2));
    outbound.forward({ type: 'control', control: { type: 'interrupt', speechId: 'a', source: 'user_turn' } });
    outbound.forward(audio('b', 0));
    await pair.untilReceived(2);
    ack(pair, 0);
    await pair.untilReceived(3);
    outbound.forward(marker('end'));
    expect(describeReceived(await pair.untilReceived(4))).toEqual(['a0', 'control:interrupt a', 'b0', 'end']);
    expect(droppedMs).toEqual([]);
  });

  it('a client that stops acking loses the rest of the speech, told once, and the speech gets no audio-end', async () => {
    const outbound = forwarder(100, 200);
    for (let seq = 0; seq < 6; seq++) outbound.forward(audio('a', seq));
    outbound.forward(generated('a', 600));
    // a0 is in flight, a1–a2 fill the queue, a3–a5 are dropped.
    expect(droppedMs).toEqual([100, 100, 100]);
    await pair.untilReceived(2);
    ack(pair, 0);
    await pair.untilReceived(3);
    ack(pair, 1);
    await pair.untilReceived(4);
    ack(pair, 2);
    outbound.forward(marker('end'));
    expect(describeReceived(await pair.untilReceived(5))).toEqual([
      'a0',
      'error audio_dropped',
      'a1',
      'a2',
      'end',
    ]);
    expect(pair.received[1]!.args[0]).toMatchObject({ code: 'protocol_invalid', speechId: 'a' });
  });

  it('sends a session error with its code and turn, never its text', async () => {
    const outbound = forwarder(100, 100);
    outbound.forward({
      type: 'error',
      turnId: 't1',
      error: new ProviderQuotaError('quota of key sk-secret-123 exceeded', { source: 'llm:test' }),
    });
    const [{ args }] = (await pair.untilReceived(1)) as [Received];
    expect(args[0]).toMatchObject({
      reason: 'session_error',
      code: 'provider_quota',
      source: 'llm:test',
      turnId: 't1',
    });
    expect(JSON.stringify(args[0])).not.toContain('sk-secret-123');
  });

  it('sends nothing while detached, and leaves closing to its owner', async () => {
    const outbound = forwarder(100, 100);
    outbound.detach();
    outbound.forward(marker('while away'));
    outbound.forward(audio('a', 0));
    outbound.attach(pair.server);
    outbound.forward({ type: 'closed', reason: 'done' });
    outbound.forward(marker('back'));
    expect(describeReceived(await pair.untilReceived(1))).toEqual(['back']);
  });
});
