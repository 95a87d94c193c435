import {
  createVoiceSession,
  type SessionEvent,
  type TurnMetrics,
  type VoiceSession,
  VoxError,
} from '@voxduplex/core';
import { createLocalStack, type LocalStack, type LocalStackOptions } from '@voxduplex/local';
import { SimulatedMicrophone } from '@voxduplex/offline-e2e';
import { asyncScheduler } from 'rxjs';
import type { ConversationLine } from './fake-conversation';
import { SimulatedPlayer } from './simulated-player';

/** Errors after which the demo cannot go on: the machine or the configuration lacks something. */
const FATAL_CODES = new Set(['system_dependency_missing', 'config_invalid']);

/** A voice session on the local engines, with a simulated microphone and player around it. */
export interface OfflineSession {
  readonly session: VoiceSession;
  readonly stack: LocalStack;
  readonly microphone: SimulatedMicrophone;
  readonly events: SessionEvent[];
  /** One row per finished turn, for `latencyTable`. */
  readonly turns: { label: string; metrics: TurnMetrics }[];
  /** Rejects with the first error the session reports that ends the demo; never resolves. */
  readonly failure: Promise<never>;
  /** Prints a line of the demo's own (e.g. what the scripted user says), on the session's clock. */
  note(text: string): void;
  /** Closes the session, the player, the microphone and the Flite workers. */
  close(reason: string): Promise<void>;
}

/** Options of {@link openOfflineSession}. */
export interface OfflineSessionOptions {
  readonly stack?: LocalStackOptions;
  /** Each line the terminal shows (states, transcripts, what the agent says and the user heard). */
  readonly onLine?: (line: ConversationLine) => void;
  /** Treat every session error as fatal (a one-turn run); default: only missing dependencies and bad config. */
  readonly isEveryErrorFatal?: boolean;
}

/**
 * Opens a session on PocketSphinx (+ Silero VAD) → demo brain → Flite `slt`, warms the Flite
 * workers, and starts a simulated microphone (silence until something is said) and a simulated
 * player that plays the agent's audio in real time and acks it like a browser would.
 */
export async function openOfflineSession(options: OfflineSessionOptions = {}): Promise<OfflineSession> {
  const stack = createLocalStack(options.stack);
  await stack.warmUp();
  const session = createVoiceSession({
    ...stack.sessionConfig,
    instructions: 'You are the voxduplex demo assistant.',
  });
  const started = performance.now();
  const say = (text: string) => options.onLine?.({ atMs: performance.now() - started, text });
  const events: SessionEvent[] = [];
  const turns: { label: string; metrics: TurnMetrics }[] = [];
  const questions = new Map<string, string>();
  let fail: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failure.catch(() => {}); // observed by whoever races it; never an unhandled rejection

  session.events$.subscribe((event) => {
    events.push(event);
    const line = describeEvent(event);
    if (line) say(line);
    if (event.type === 'user-turn') questions.set(event.turnId, event.text);
    if (event.type === 'metrics')
      turns.push({
        label: questions.get(event.metrics.turnId) ?? event.metrics.turnId,
        metrics: event.metrics,
      });
    if (event.type === 'error' && (options.isEveryErrorFatal || FATAL_CODES.has(event.error.code)))
      fail(event.error);
  });
  const player = new SimulatedPlayer(session, asyncScheduler);
  const microphone = new SimulatedMicrophone((chunk) => session.pushAudio(chunk));
  microphone.start();
  return {
    session,
    stack,
    microphone,
    events,
    turns,
    failure,
    note: say,
    async close(reason) {
      microphone.stop();
      player.stop();
      session.close(reason);
      await stack.close();
    },
  };
}

/** The terminal line for a session event, if it gets one. */
export function describeEvent(event: SessionEvent): string | undefined {
  switch (event.type) {
    case 'state':
      return event.state.phase === event.previous.phase
        ? undefined
        : `state    ${event.previous.phase} → ${event.state.phase}`;
    case 'transcript':
      return event.transcript.isFinal ? `user     "${event.transcript.text}"` : undefined;
    case 'agent-text':
      return `to TTS   ${event.text.trim()}`;
    case 'control':
      return `control  ${event.control.type}${'source' in event.control ? ` (${event.control.source})` : ''}`;
    case 'speech-end':
      return `heard    "${event.heardText}"${event.interrupted ? '  [interrupted]' : ''}`;
    case 'error':
      return `error    ${event.error.code}: ${event.error.message}`;
    default:
      return undefined;
  }
}

/**
 * Resolves at the next event of `type` that matches, or rejects with the session's fatal failure.
 * Subscribes at once: call it before the action that causes the event.
 */
export function nextEvent<T extends SessionEvent['type']>(
  offline: Pick<OfflineSession, 'session' | 'failure'>,
  type: T,
  predicate: (event: Extract<SessionEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<SessionEvent, { type: T }>> {
  let unsubscribe = () => {};
  const found = new Promise<Extract<SessionEvent, { type: T }>>((resolve) => {
    const subscription = offline.session.events$.subscribe((event) => {
      if (event.type === type && predicate(event as Extract<SessionEvent, { type: T }>)) {
        subscription.unsubscribe();
        resolve(event as Extract<SessionEvent, { type: T }>);
      }
    });
    unsubscribe = () => subscription.unsubscribe();
  });
  const result = Promise.race([found, offline.failure]).finally(unsubscribe);
  // Waiters set up ahead of an action may be abandoned when the session fails first.
  result.catch(() => {});
  return result;
}

/** The message to print for an error that stops the demo: no stack trace, the fix when known. */
export function fatalMessage(error: unknown): string {
  if (VoxError.isInstance(error) && error.code === 'system_dependency_missing')
    return `${error.message}\n(scripts/setup.sh installs every system package voxduplex uses.)`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
