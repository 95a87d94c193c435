import {
  type AgentTextMessage,
  connectVoiceAgent,
  type ErrorMessage,
  type ReadyMessage,
  type SpeechEndMessage,
  type TranscriptMessage,
  type UserTurnMessage,
  type VoiceAgentClient,
} from '@voxduplex/transport-socketio/client';
import { inBandFrame, utteranceFrames } from './in-band-speech';

export interface SimulatedUserOptions {
  /** The identity the server authenticates (resume tokens are bound to it). */
  readonly user: string;
  /** Names this client's connections for the server's `drop(tag)`. Default: `user`. */
  readonly tag?: string;
  /** Reconnect and resume the session after a dropped connection. Default true. */
  readonly autoResume?: boolean;
}

/** How a user turn ended, as the client saw it. */
export interface TurnOutcome {
  readonly turnId: string;
  /** `spoken`: the reply's speech ended; `error`: a typed error for the turn came first. */
  readonly how: 'spoken' | 'error';
  readonly error?: ErrorMessage;
  readonly speechEnd?: SpeechEndMessage;
}

/**
 * A person at a real {@link VoiceAgentClient}: speaks through in-band audio frames
 * ({@link utteranceFrames}), keeps talking until the recognizer hears it, and records what the
 * server sent so tests can wait for it. No real time is asserted: waits only bound how long.
 */
export class SimulatedUser {
  readonly client: VoiceAgentClient;
  readonly tag: string;
  readonly readies: ReadyMessage[] = [];
  readonly errors: ErrorMessage[] = [];
  readonly transcripts: TranscriptMessage[] = [];
  readonly userTurns: UserTurnMessage[] = [];
  readonly speechEnds: SpeechEndMessage[] = [];
  /** The agent's sentences as the client would display them. */
  readonly agentTexts: AgentTextMessage[] = [];
  readonly lostSessions: string[] = [];
  closedReason: string | undefined;
  audioChunks = 0;
  /** Turns the agent sent audio for. */
  readonly audioTurnIds = new Set<string>();
  /** The last speech the agent started or sent audio for. */
  lastSpeechId: string | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(url: string, options: SimulatedUserOptions) {
    this.tag = options.tag ?? options.user;
    const autoResume = options.autoResume ?? true;
    this.client = connectVoiceAgent(url, {
      auth: { user: options.user, tag: this.tag },
      reconnection: autoResume,
      reconnectionDelayMs: 20,
      reconnectionDelayMaxMs: 100,
      socketOptions: { forceNew: true },
    });
    const record =
      <T>(list: T[]) =>
      (payload: T) => {
        list.push(payload);
        this.#changed();
      };
    this.client.on('ready', record(this.readies));
    this.client.on('error', record(this.errors));
    this.client.on('transcript', record(this.transcripts));
    this.client.on('user-turn', record(this.userTurns));
    this.client.on('speech-end', record(this.speechEnds));
    this.client.on('agent-text', record(this.agentTexts));
    this.client.on('speech-start', ({ speechId }) => {
      this.lastSpeechId = speechId;
      this.#changed();
    });
    this.client.on('agent-audio', ({ speechId, turnId }) => {
      this.audioChunks++;
      this.audioTurnIds.add(turnId);
      this.lastSpeechId = speechId;
    });
    this.client.on('session-lost', ({ reason }) => {
      this.lostSessions.push(reason);
      this.#changed();
    });
    this.client.on('closed', ({ reason }) => {
      this.closedReason = reason;
      this.#changed();
    });
    this.client.on('status', () => this.#changed());
  }

  /** The session this client is attached to (from its last `ready`). */
  get sessionId(): string | undefined {
    return this.readies.at(-1)?.sessionId;
  }

  /** Resolves once `condition` holds; rejects with `what` after `timeoutMs`. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`${this.tag}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  /** Waits for the `count`-th `ready` (1 = the first). */
  async ready(count = 1, timeoutMs = 5000): Promise<ReadyMessage> {
    await this.waitFor(() => this.readies.length >= count, `ready #${count}`, timeoutMs);
    return this.readies[count - 1]!;
  }

  /** Sends a whole utterance at once, without checking that it was heard. */
  utter(text: string): void {
    for (const frame of utteranceFrames(text)) this.client.sendAudio(frame);
  }

  /**
   * Speaks `text` (its first word must be unique to it): starts speaking again every
   * `repeatMs` until the recognizer's interim shows it was heard (a recognizer may be down or
   * reopening), then finishes the utterance. Rejects if not heard within `heardWithinMs`.
   */
  async speak(text: string, { heardWithinMs = 8000, repeatMs = 150 } = {}): Promise<void> {
    const frames = utteranceFrames(text);
    const firstWord = text.trim().split(/\s+/)[0]!;
    const isHeard = () => this.transcripts.some((t) => t.text.startsWith(firstWord));
    const deadline = Date.now() + heardWithinMs;
    while (!isHeard()) {
      this.client.sendAudio(frames[0]!);
      this.client.sendAudio(frames[1]!);
      const waitMs = Math.min(repeatMs, deadline - Date.now());
      if (waitMs <= 0) throw new Error(`${this.tag}: '${firstWord}' not heard within ${heardWithinMs} ms`);
      await this.waitFor(isHeard, `'${firstWord}' heard`, waitMs).catch(() => undefined);
    }
    for (const frame of frames.slice(2)) this.client.sendAudio(frame);
  }

  /**
   * Waits for the turn whose text contains `word`, then for how it ended: its speech ended or a
   * typed error named its turn.
   */
  async outcome(word: string, timeoutMs = 8000): Promise<TurnOutcome> {
    const turn = () => this.userTurns.find((t) => t.text.split(' ').includes(word));
    await this.waitFor(() => turn() !== undefined, `the turn of '${word}'`, timeoutMs);
    const { turnId } = turn()!;
    const error = () => this.errors.find((e) => e.turnId === turnId);
    const end = () => this.speechEnds.find((e) => e.turnId === turnId);
    await this.waitFor(() => !!error() || !!end(), `the end of turn ${turnId} ('${word}')`, timeoutMs);
    const failure = error();
    if (failure) return { turnId, how: 'error', error: failure };
    return { turnId, how: 'spoken', speechEnd: end()! };
  }

  /** Makes the session's recognition stream fail or end (in-band). */
  breakRecognition(how: 'fail-stream' | 'end-stream'): void {
    this.client.sendAudio(inBandFrame({ type: how }));
  }

  /** Reports playback of the last speech (if any) as a player would. */
  reportPlayback(kind: 'ack' | 'started' | 'finished', playedMs = 0): void {
    const speechId = this.lastSpeechId;
    if (speechId === undefined || this.client.status !== 'ready') return;
    if (kind === 'ack') this.client.playbackAck({ speechId, playedMs });
    else if (kind === 'started') this.client.playbackStarted(speechId);
    else this.client.playbackFinished(speechId);
  }

  close(): void {
    this.client.close();
    this.#changed();
  }

  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }
}
