import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { ConnectionRecord } from './connection-record';
import type { EmulatorFault } from './faults';
import { binaryFrame, parseFrame, textFrame, ticksFromMs, type WireMessage } from './framing';
import { Outbox } from './outbox';
import { parseSsml } from './ssml';

/** How the synthesis side speaks when no fault is scripted. */
export interface SynthesisBehaviour {
  /** Audio per word at rate 1. */
  readonly msPerWord: number;
  /** Silence after each word at rate 1. */
  readonly gapMs: number;
  /** Audio per binary frame. */
  readonly chunkMs: number;
}

function sampleRateOf(outputFormat: unknown): number {
  const khz = typeof outputFormat === 'string' ? /(\d+)khz/i.exec(outputFormat)?.[1] : undefined;
  return khz === undefined ? 16000 : Number(khz) * 1000;
}

function tone(samples: number, sampleRate: number, phase: number): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    out[i] = Math.round(8000 * Math.sin((2 * Math.PI * 220 * (phase + i)) / sampleRate));
  return out;
}

/** One synthesis WebSocket: `synthesis.context` + `ssml` in, word boundaries and PCM out. */
export class SynthesisSession {
  readonly #outbox: Outbox;
  #outputFormat: unknown;
  #chunksSent = 0;
  #isDead = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly record: ConnectionRecord,
    private readonly behaviour: SynthesisBehaviour,
    private readonly fault: EmulatorFault | undefined,
  ) {
    this.#outbox = new Outbox(socket, fault?.kind === 'slow' ? fault.delayMs : 0);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.#onFrame(data, isBinary));
    socket.on('close', () => this.#outbox.dispose());
  }

  #onFrame(data: Buffer, isBinary: boolean): void {
    let message: WireMessage;
    try {
      message = parseFrame(data, isBinary);
    } catch {
      this.socket.close(1007, 'malformed frame');
      return;
    }
    const path = message.path.toLowerCase();
    if (path === 'synthesis.context') {
      const context = JSON.parse(message.text || '{}') as {
        synthesis?: { audio?: { outputFormat?: unknown } };
      };
      this.record.contexts.push(context);
      this.#outputFormat = context.synthesis?.audio?.outputFormat;
    } else if (path === 'ssml') {
      this.record.ssml.push(message.text ?? '');
      this.#speak(message.requestId, message.text ?? '');
    }
  }

  #speak(requestId: string, ssml: string): void {
    const { rate, words } = parseSsml(ssml);
    const sampleRate = sampleRateOf(this.#outputFormat);
    const streamId = randomUUID().replaceAll('-', '').toUpperCase();
    this.#outbox.send(
      textFrame('turn.start', requestId, { context: { serviceTag: `emulator-${this.record.id}` } }),
    );
    this.#outbox.send(
      textFrame('response', requestId, {
        context: { serviceTag: `emulator-${this.record.id}` },
        audio: { type: 'inline', streamId },
      }),
    );
    const chunkSamples = Math.max(1, Math.round((this.behaviour.chunkMs / 1000) * sampleRate));
    let atMs = 0;
    let phase = 0;
    for (const word of words) {
      const wordMs = this.behaviour.msPerWord / rate;
      const gapMs = this.behaviour.gapMs / rate;
      const boundary = {
        Type: 'WordBoundary',
        Data: {
          Offset: ticksFromMs(atMs),
          Duration: ticksFromMs(wordMs),
          text: { Text: word, Length: word.length, BoundaryType: 'WordBoundary' },
        },
      };
      this.#outbox.send(textFrame('audio.metadata', requestId, { Metadata: [boundary] }));
      const wordSamples = Math.round((wordMs / 1000) * sampleRate);
      const gapSamples = Math.round((gapMs / 1000) * sampleRate);
      const audio = new Int16Array(wordSamples + gapSamples);
      audio.set(tone(wordSamples, sampleRate, phase));
      phase += wordSamples;
      for (let start = 0; start < audio.length; start += chunkSamples) {
        if (!this.#sendAudio(requestId, streamId, audio.subarray(start, start + chunkSamples))) return;
      }
      atMs += wordMs + gapMs;
    }
    if (this.fault?.kind === 'stall') return;
    this.#outbox.send(textFrame('turn.end', requestId, {}));
  }

  /** Sends one chunk unless a fault stops the stream here; false when it did. */
  #sendAudio(requestId: string, streamId: string, samples: Int16Array): boolean {
    const fault = this.fault;
    if (this.#isDead) return false;
    if (
      (fault?.kind === 'close' || fault?.kind === 'stall') &&
      this.#chunksSent >= (fault.afterChunks ?? 0)
    ) {
      this.#isDead = true;
      if (fault.kind === 'close')
        this.#outbox.afterQueued(() => this.socket.close(fault.code, `emulated close ${fault.code}`));
      return false;
    }
    this.#chunksSent++;
    const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    this.#outbox.send(binaryFrame('audio', requestId, bytes, { 'X-StreamId': streamId }));
    return true;
  }
}
