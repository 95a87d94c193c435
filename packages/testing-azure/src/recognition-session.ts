import type { WebSocket } from 'ws';
import type { ConnectionRecord } from './connection-record';
import type { EmulatorFault } from './faults';
import { parseFrame, textFrame, ticksFromMs, type WireMessage } from './framing';
import { Outbox } from './outbox';
import { UtteranceDetector, type UtteranceEvent } from './utterance';

const SAMPLE_RATE = 16000;
const WAV_HEADER_BYTES = 44;

/** How the recognition side behaves when no fault is scripted. */
export interface RecognitionBehaviour {
  /** Silence that ends a phrase unless the client sets a segmentation silence timeout. */
  readonly silenceMs: number;
  readonly hypothesisEveryMs: number;
  /**
   * The service ends a turn (and the SDK starts a new one) after this many phrases; never by default.
   * Only use it while audio keeps flowing: a `turn.end` that reaches the SDK after it read the end of
   * the push stream ends recognition for good, and the audio after that phrase is never recognized.
   */
  readonly phrasesPerTurn: number;
  readonly transcriptFor: (utteranceId: number) => string;
}

interface Turn {
  readonly requestId: string;
  readonly detector: UtteranceDetector;
  phrases: number;
  hypotheses: number;
  isEnded: boolean;
}

function findNumber(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [name, inner] of Object.entries(value)) {
    if (name === key && typeof inner === 'number') return inner;
    const found = findNumber(inner, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function languagesOf(context: unknown): string[] {
  const languages = (context as { languageId?: { languages?: unknown } } | undefined)?.languageId?.languages;
  return Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : [];
}

/** One recognition WebSocket: speech.config / speech.context / audio in, turn and phrase messages out. */
export class RecognitionSession {
  readonly #outbox: Outbox;
  #turn: Turn | undefined;
  #latestRequestId = '';
  #latestContext: unknown;
  #audioMs = 0;
  #hypothesesSent = 0;
  /** A scripted close is under way: nothing more is recognized or sent. */
  #isClosing = false;
  #isPhraseErrorPending: boolean;

  constructor(
    private readonly socket: WebSocket,
    private readonly record: ConnectionRecord,
    private readonly behaviour: RecognitionBehaviour,
    private readonly fault: EmulatorFault | undefined,
  ) {
    this.#outbox = new Outbox(socket, fault?.kind === 'slow' ? fault.delayMs : 0);
    this.#isPhraseErrorPending = fault?.kind === 'phrase-error';
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
    switch (message.path.toLowerCase()) {
      case 'speech.context':
        this.#latestRequestId = message.requestId;
        this.#latestContext = JSON.parse(message.text || '{}');
        this.record.contexts.push(this.#latestContext);
        return;
      case 'audio':
        this.#onAudio(message);
        return;
      default:
        // speech.config, telemetry: nothing to answer.
        return;
    }
  }

  #onAudio(message: WireMessage): void {
    const isHeader = (message.headers['content-type'] ?? '').startsWith('audio/x-wav');
    let turn = this.#turn;
    if (!turn || turn.requestId !== message.requestId) {
      // A turn starts with its WAV header. Audio of an ended turn, or sent for the next turn
      // before its header (the SDK's read-ahead at a turn change), is dropped.
      if (message.requestId !== this.#latestRequestId || !isHeader) return;
      turn = this.#startTurn(message.requestId);
    }
    if (turn.isEnded) return;
    let payload = message.binary ?? new Uint8Array();
    if (isHeader) payload = payload.subarray(WAV_HEADER_BYTES);
    else if (payload.byteLength === 0) {
      this.#endOfAudio(turn);
      return;
    }
    if (payload.byteLength === 0) return;
    this.record.audioBytes += payload.byteLength;
    const samples = new Int16Array(payload.slice().buffer);
    this.#audioMs += (samples.length / SAMPLE_RATE) * 1000;
    for (const event of turn.detector.push(samples)) this.#emit(turn, event);
    const fault = this.fault;
    if (
      fault?.kind === 'close' &&
      fault.afterHypotheses === undefined &&
      this.#audioMs >= (fault.afterAudioMs ?? 0)
    ) {
      this.#isClosing = true;
      this.#outbox.afterQueued(() => this.socket.close(fault.code, `emulated close ${fault.code}`));
    }
  }

  #startTurn(requestId: string): Turn {
    const silenceMs =
      Number(this.record.query.segmentationSilenceTimeoutMs) ||
      findNumber(this.#latestContext, 'segmentationSilenceTimeoutMs') ||
      this.behaviour.silenceMs;
    const turn: Turn = {
      requestId,
      detector: new UtteranceDetector({
        sampleRate: SAMPLE_RATE,
        silenceMs,
        hypothesisEveryMs: this.behaviour.hypothesisEveryMs,
      }),
      phrases: 0,
      hypotheses: 0,
      isEnded: false,
    };
    this.#turn = turn;
    this.record.turns++;
    this.#outbox.send(
      textFrame('turn.start', requestId, { context: { serviceTag: `emulator-${this.record.id}` } }),
    );
    return turn;
  }

  #emit(turn: Turn, event: UtteranceEvent): void {
    if (this.#isClosing) return;
    const ms = (samples: number) => (samples / SAMPLE_RATE) * 1000;
    if (event.type === 'start') {
      turn.hypotheses = 0;
      this.#outbox.send(
        textFrame('speech.startDetected', turn.requestId, { Offset: ticksFromMs(ms(event.startSample)) }),
      );
      return;
    }
    const text = this.behaviour.transcriptFor(event.id);
    const Offset = ticksFromMs(ms(event.startSample));
    const Duration = ticksFromMs(ms(event.endSample - event.startSample));
    if (event.type === 'hypothesis') {
      turn.hypotheses++;
      this.#hypothesesSent++;
      const words = text.split(' ');
      const Text = words.slice(0, Math.min(words.length, turn.hypotheses)).join(' ');
      this.#outbox.send(textFrame('speech.hypothesis', turn.requestId, { Text, Offset, Duration }));
      const fault = this.fault;
      if (
        fault?.kind === 'close' &&
        fault.afterHypotheses !== undefined &&
        this.#hypothesesSent >= fault.afterHypotheses
      ) {
        this.#isClosing = true;
        this.#outbox.afterQueued(() => this.socket.close(fault.code, `emulated close ${fault.code}`));
      }
      return;
    }
    this.#sendPhrase(turn, text, Offset, Duration);
    this.#outbox.send(
      textFrame('speech.endDetected', turn.requestId, { Offset: ticksFromMs(ms(event.endSample)) }),
    );
    turn.phrases++;
    if (turn.phrases >= this.behaviour.phrasesPerTurn) this.#endTurn(turn);
  }

  #sendPhrase(turn: Turn, text: string, Offset: number, Duration: number): void {
    if (this.#isPhraseErrorPending) {
      this.#isPhraseErrorPending = false;
      this.#outbox.send(
        textFrame('speech.phrase', turn.requestId, { RecognitionStatus: 'Error', Offset, Duration }),
      );
      return;
    }
    this.record.phrases.push(text);
    const languages = languagesOf(this.#latestContext);
    const body: Record<string, unknown> = {
      RecognitionStatus: 'Success',
      DisplayText: text,
      Offset,
      Duration,
    };
    if (languages[0] !== undefined) body.PrimaryLanguage = { Language: languages[0], Confidence: 'High' };
    if (this.record.query.format === 'detailed') {
      const lexical = text.toLowerCase();
      body.NBest = [{ Confidence: 0.875, Lexical: lexical, ITN: lexical, MaskedITN: lexical, Display: text }];
    }
    this.#outbox.send(textFrame('speech.phrase', turn.requestId, body));
  }

  #endOfAudio(turn: Turn): void {
    for (const event of turn.detector.flush()) this.#emit(turn, event);
    if (turn.isEnded || this.fault?.kind === 'stall') return;
    this.#endTurn(turn);
  }

  #endTurn(turn: Turn): void {
    turn.isEnded = true;
    this.#outbox.send(textFrame('turn.end', turn.requestId, {}));
  }
}
