import type { SessionEvent } from '@voxduplex/core';
import type { UtteranceTiming } from '../simulated-microphone';
import type { EventLog, LoggedEvent } from './event-log';
import type { ListeningRoom } from './listening-room';

/** Something the user says over the speaking agent. */
export interface BargeInCue {
  readonly kind: 'backchannel' | 'interruption' | 'stop';
  readonly text: string;
  readonly voice: string;
  readonly samples: Int16Array;
}

/** What the agent did about one cue. */
export interface CueOutcome {
  readonly cue: BargeInCue;
  /**
   * The user's voice onset → the agent went silent (its pause, else its interrupt), ms; none
   * when it did not react, or was already paused when the voice began (see `wasPausedBefore`).
   */
  readonly reactionMs: number | undefined;
  /** The agent was paused when the user's voice began: something else (its echo) had paused it. */
  readonly wasPausedBefore: boolean;
  /**
   * The user's voice onset → the session heard the user start speaking (its detector's onset):
   * the part of `reactionMs` spent detecting the voice.
   */
  readonly onsetHeardMs: number | undefined;
  readonly wasPaused: boolean;
  readonly wasInterrupted: boolean;
  /** The agent started a new speech after the cue: it answered it. */
  readonly wasAnswered: boolean;
  /** The user turns the session made of what followed the cue (what the recognizer heard). */
  readonly turns: readonly string[];
  /**
   * The recognizer's transcripts after the cue, `~interim` or `final [alternatives]`, with ms from
   * the voice's onset.
   */
  readonly transcripts: readonly string[];
}

/** What the agent did while it spoke with nobody talking over it (only the room, maybe its echo). */
export interface QuietOutcome {
  readonly pauses: number;
  readonly interrupts: number;
  readonly listenedMs: number;
}

/** Time to let the agent react after the user's voice ends, before judging. */
const SETTLE_MS = 3000;
/** How long the agent must have been listening before an episode starts. */
const QUIET_MS = 800;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Control = Extract<SessionEvent, { type: 'control' }>['control'];
/** The runner's own interrupt, which ends an episode: not the agent reacting to the user. */
const isProgrammatic = (control: Control) => 'source' in control && control.source === 'programmatic';
const controlsOf = (events: readonly LoggedEvent[], speechId: string) =>
  events.flatMap(({ at, event }) =>
    event.type === 'control' && event.control.speechId === speechId && !isProgrammatic(event.control)
      ? [{ at, control: event.control }]
      : [],
  );

/**
 * One conversation on the real session: the user asks for something long, the agent starts
 * speaking, and the `during` callback acts over it; afterwards the agent is stopped (a
 * programmatic interrupt, which is not counted) and listening again.
 */
export async function overAgentSpeech<T>(
  room: ListeningRoom,
  log: EventLog,
  request: Int16Array,
  during: (speechId: string) => Promise<T>,
): Promise<T | undefined> {
  await quiet(room, log);
  const firstAudio = log.next((event) => event.type === 'audio', 20_000);
  await room.say(request);
  const started = await firstAudio;
  if (started?.event.type !== 'audio') return undefined;
  const result = await during(started.event.audio.speechId);
  if (room.session.state.agent !== 'listening') room.session.interrupt();
  await listening(room, log);
  return result;
}

/** The user says `cue` over speech `speechId`; what the agent did within `SETTLE_MS` of the voice ending. */
export async function sayOver(
  room: ListeningRoom,
  log: EventLog,
  speechId: string,
  cue: BargeInCue,
): Promise<CueOutcome> {
  const from = log.events.length;
  const timing: UtteranceTiming = await room.say(cue.samples);
  await sleep(SETTLE_MS);
  const events = log.since(from);
  const controls = controlsOf(events, speechId);
  const onset = timing.voiceStartedAt;
  const before = controls.filter(({ at }) => at < onset);
  const wasPausedBefore = before.at(-1)?.control.type === 'pause';
  const silencedAt = controls.find(
    ({ at, control }) => at >= onset && (control.type === 'pause' || control.type === 'interrupt'),
  )?.at;
  const heardAt = events.find(
    ({ at, event }) => at >= onset && event.type === 'state' && event.state.user === 'speaking',
  )?.at;
  return {
    cue,
    reactionMs: silencedAt === undefined || wasPausedBefore ? undefined : silencedAt - onset,
    wasPausedBefore,
    onsetHeardMs: heardAt === undefined ? undefined : heardAt - onset,
    wasPaused: controls.some(({ control }) => control.type === 'pause'),
    wasInterrupted: controls.some(({ control }) => control.type === 'interrupt'),
    wasAnswered: events.some(({ event }) => event.type === 'speech-start' && event.speechId !== speechId),
    turns: events.flatMap(({ event }) => (event.type === 'user-turn' ? [event.text] : [])),
    transcripts: events.flatMap(({ at, event }) => {
      if (event.type !== 'transcript') return [];
      const { isFinal, text, alternatives } = event.transcript;
      const read = alternatives ? ` [${alternatives.join(', ')}]` : '';
      return [`${isFinal ? '' : '~'}${text}${read}@${Math.round(at - timing.voiceStartedAt)}`];
    }),
  };
}

/** Whether speech `speechId` is still going (its `speech-end` has not come). */
export function isStillSpeaking(log: EventLog, speechId: string): boolean {
  return !log.events.some(({ event }) => event.type === 'speech-end' && event.speechId === speechId);
}

/** Lets speech `speechId` play for `durationMs` with nobody talking; counts what stopped it. */
export async function listenQuietly(
  log: EventLog,
  speechId: string,
  durationMs: number,
): Promise<QuietOutcome> {
  const from = log.events.length;
  const startedAt = performance.now();
  await sleep(durationMs);
  const controls = controlsOf(log.since(from), speechId);
  return {
    pauses: controls.filter(({ control }) => control.type === 'pause').length,
    interrupts: controls.filter(({ control }) => control.type === 'interrupt').length,
    listenedMs: performance.now() - startedAt,
  };
}

/**
 * The agent listens and goes on listening for {@link QUIET_MS}: an answer to the last cue that
 * started late (its final came after the episode ended) is cut first, so the next episode's
 * first audio is the answer to its own request, not the tail of the last one.
 */
async function quiet(room: ListeningRoom, log: EventLog): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (room.session.state.agent !== 'listening') room.session.interrupt();
    await listening(room, log);
    await sleep(QUIET_MS);
    if (room.session.state.agent === 'listening') return;
  }
}

async function listening(room: ListeningRoom, log: EventLog): Promise<void> {
  if (room.session.state.agent === 'listening') return;
  await log.next((event) => event.type === 'state' && event.state.agent === 'listening', 20_000);
}
