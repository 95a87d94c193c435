import type { ScriptedUtterance } from '@voxduplex/core/testing';
import type { ErrorMessage } from '@voxduplex/transport-socketio';
import { connectVoiceAgent, type VoiceAgentClient } from '@voxduplex/transport-socketio/client';

/** Audio the bystander sends per turn, ms: one scripted utterance falls in each such slot. */
export const BYSTANDER_TURN_AUDIO_MS = 1000;

/**
 * What the bystander's fake recognizer hears: `turn k` inside the k-th second of its audio, so
 * every second of microphone audio it sends makes exactly one user turn.
 */
export function bystanderUtterances(turns: number): ScriptedUtterance[] {
  return Array.from({ length: turns }, (_, k) => ({
    text: `turn ${k}`,
    startMs: k * BYSTANDER_TURN_AUDIO_MS + 100,
    durationMs: 400,
  }));
}

/**
 * A well-behaved user on the typed client, talking while others misbehave: each turn sends a
 * second of microphone audio, then waits for its own transcript as a user turn, the agent's
 * audio (acked and reported played, as a player would), and the end of the speech.
 */
export class Bystander {
  turnsCompleted = 0;
  /** Agent audio received, ms. */
  audioMs = 0;
  readonly errors: ErrorMessage[] = [];
  readonly failures: string[] = [];
  readonly client: VoiceAgentClient;
  #isRunning = false;
  #loop: Promise<void> | undefined;

  constructor(
    url: string,
    auth: Record<string, unknown>,
    readonly turnTimeoutMs = 15_000,
  ) {
    this.client = connectVoiceAgent(url, { auth, reconnection: false });
    this.client.on('error', (error) => this.errors.push(error));
    this.client.on('closed', ({ reason }) => this.failures.push(`closed: ${reason}`));
  }

  /** Resolves once the session is ready. */
  ready(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.client.on('ready', () => {
        off();
        resolve();
      });
    });
  }

  /** Talks turn after turn, `pauseMs` apart, until {@link stop}. */
  run(pauseMs = 20): void {
    this.#isRunning = true;
    this.#loop = (async () => {
      while (this.#isRunning && this.failures.length === 0) {
        await this.turn();
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#isRunning = false;
    await this.#loop;
  }

  /** One complete turn; a turn that does not complete is recorded in `failures`. */
  async turn(): Promise<void> {
    const expected = `turn ${this.turnsCompleted}`;
    const offs: (() => void)[] = [];
    let heardUserTurn = false;
    let turnAudioMs = 0;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`'${expected}' incomplete after ${this.turnTimeoutMs} ms`)),
        this.turnTimeoutMs,
      );
      offs.push(() => clearTimeout(timer));
      offs.push(
        this.client.on('user-turn', ({ text }) => {
          if (text === expected) heardUserTurn = true;
          else reject(new Error(`heard '${text}', expected '${expected}'`));
        }),
        this.client.on('agent-audio', (chunk) => {
          turnAudioMs += chunk.durationMs;
          this.client.playbackAck({ speechId: chunk.speechId, playedMs: chunk.offsetMs + chunk.durationMs });
        }),
        this.client.on('audio-end', ({ speechId }) => this.client.playbackFinished(speechId)),
        this.client.on('speech-end', ({ interrupted }) => {
          if (!heardUserTurn) return reject(new Error(`speech ended before '${expected}' was heard`));
          if (interrupted) return reject(new Error(`the reply to '${expected}' was interrupted`));
          if (turnAudioMs === 0) return reject(new Error(`the reply to '${expected}' had no audio`));
          resolve();
        }),
      );
    });
    try {
      // Paced like a microphone (five 20 ms frames every 100 ms): a burst would be rate limited.
      for (let sentMs = 0; sentMs < BYSTANDER_TURN_AUDIO_MS; sentMs += 100) {
        for (let frame = 0; frame < 5; frame++) this.client.sendAudio(new Int16Array(320));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await done;
      this.turnsCompleted++;
      this.audioMs += turnAudioMs;
    } catch (error) {
      this.failures.push((error as Error).message);
    } finally {
      for (const off of offs) off();
    }
  }

  close(): void {
    this.#isRunning = false;
    this.client.close();
  }
}
