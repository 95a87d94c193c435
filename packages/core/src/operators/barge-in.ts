import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { InterruptSource } from '../frames/playback-control';
import { StopRequest } from './stop-request';
import { UserUtterance } from './user-utterance';
import { isBackchannel, isStopPhrase, wordsOf } from './words';

/** What the barge-in detector listens to. */
export type BargeInSignal =
  /** The agent's situation: push it whenever the state or the current speech changes. */
  | {
      readonly type: 'agent';
      readonly state: 'idle' | 'listening' | 'thinking' | 'speaking';
      readonly speechId?: string;
      /** False for `allowInterruptions: false` speech or while interruptions are switched off. */
      readonly isInterruptible: boolean;
    }
  /**
   * The user started to speak (VAD onset, else the recognizer's speech-start); `atMs` is where
   * on the audio timeline, for the voice's length.
   */
  | { readonly type: 'onset'; readonly atMs?: number }
  /**
   * The user's voice stopped for a moment, at `atMs` of the audio timeline (the detector's short
   * pause, before its end of speech): what was said so far may be all of it.
   */
  | { readonly type: 'speech-pause'; readonly atMs?: number }
  /** The user's voice ended, at `atMs` of the audio timeline (the detector says so later). */
  | { readonly type: 'speech-end'; readonly atMs?: number }
  | {
      readonly type: 'transcript';
      readonly text: string;
      readonly isFinal: boolean;
      readonly stability?: number;
      /** The final's other readings (`Transcript.alternatives`). */
      readonly alternatives?: readonly string[];
    };

/** What to do with the agent's speech. */
export type BargeInDecision =
  | { readonly type: 'pause'; readonly speechId: string; readonly source: InterruptSource }
  | { readonly type: 'commit'; readonly speechId: string; readonly source: InterruptSource }
  | { readonly type: 'resume'; readonly speechId: string };

export interface BargeInOptions {
  readonly trigger: 'audio-activity' | 'transcript';
  /** How long an onset must last before it pauses the agent, per agent state. */
  readonly minSpeechMs: { readonly thinking: number; readonly speaking: number };
  /** How many words a transcript needs to pause (transcript trigger) or commit, per agent state. */
  readonly minWords: { readonly thinking: number; readonly speaking: number };
  /** A pause with no confirming transcript for this long is resumed. */
  readonly falseInterruptionMs: number;
  readonly backchannels: readonly string[];
  /**
   * Phrases that always interrupt, however short ("stop", "wait"): see `backchannelWindowMs`.
   * A final no longer than another reading of the same utterance (an interim, an alternative)
   * that was one counts as one too ({@link StopRequest}). Default none.
   */
  readonly stopPhrases?: readonly string[];
  /** An interim at least this stable counts as confirmed in `transcript` mode. Default 0.8. */
  readonly confirmStability?: number;
  /**
   * `audio-activity` trigger: words a backchannel could be are not an interruption. Interims
   * within this long of the onset do not commit — a rough recognizer's first guess at "mhm" may
   * be "um", or two short words; an interim after it does. A final commits unless it is a
   * backchannel or the user's voice lasted less than this (a short rough "uh-huh" heard as
   * "but") — then the speech resumes; a final that comes before the voice has ended waits for
   * its end, at most until the window is over. Words that arrive late (a busy recognizer) are
   * judged by the voice, not by the clock: after the voice paused short of the window, they
   * wait for its end too, unless the user goes on. Stop phrases commit however short.
   * Per agent state. The cost: an interruption is committed (the LLM and TTS cancelled) up to
   * this much later, though the agent is paused — silent — from the onset; and an utterance
   * shorter than this that is not a stop phrase ("what?") does not interrupt. Default 0.
   */
  readonly backchannelWindowMs?: { readonly thinking: number; readonly speaking: number };
  readonly scheduler?: SchedulerLike;
}

/** Words at most of a final that the recognizer's closed reading may call a backchannel. */
const MAX_BACKCHANNEL_WORDS = 2;

/**
 * The words are a backchannel, or a short final the recognizer read as one among a few phrases
 * (its `alternatives`: PocketSphinx's open model hears an "uh-huh" as "but ah", its reading
 * among stop phrases and backchannels as "uh-huh"). A final whose own words are a stop phrase
 * stays a stop, whatever the reading ("never mind" read as "nice").
 */
function isHeardAsBackchannel(
  signal: Extract<BargeInSignal, { type: 'transcript' }>,
  wordCount: number,
  options: Pick<BargeInOptions, 'backchannels' | 'stopPhrases'>,
): boolean {
  const { backchannels, stopPhrases = [] } = options;
  if (isBackchannel(signal.text, backchannels)) return true;
  if (!signal.isFinal || wordCount > MAX_BACKCHANNEL_WORDS) return false;
  if (isStopPhrase(signal.text, stopPhrases)) return false;
  return signal.alternatives?.some((reading) => isBackchannel(reading, backchannels)) ?? false;
}

/**
 * Two-phase barge-in: user speech over a thinking or speaking agent first **pauses** it, then a
 * real transcript **commits** the interrupt; a pause that no words confirm is **resumed**.
 *
 * - `audio-activity` trigger: an onset lasting `minSpeechMs` pauses (source `audio_activity`);
 *   a transcript with `minWords` words that is not a backchannel commits — unless what was said
 *   could still be a backchannel heard roughly (see `backchannelWindowMs`).
 * - `transcript` trigger: an interim with `minWords` words pauses (source `user_turn`); a final,
 *   or an interim with stability ≥ `confirmStability`, commits.
 * - A transcript made only of backchannels ("mm-hmm", "yeah") never pauses or commits; a final
 *   backchannel during a pause resumes at once. So does a final of one or two words whose
 *   `alternatives` hold a backchannel (a recognizer's reading among a few phrases).
 * - Nothing happens while the agent listens or its speech is not interruptible.
 *
 * Decisions name the `speechId` they apply to, so a late decision about an old speech is
 * recognisable and can be ignored.
 *
 * ```
 * signals:   a-o-----t----|        a = agent speaking s1, o = onset, t = "wait stop"
 * bargeIn({ minSpeechMs: 0 })
 * decisions: --p------c---|        p = pause s1 (audio_activity), c = commit s1
 *
 * signals:   a-o-----e---------|   e = speech-end, no words
 * decisions: --p------------r--|   r = resume s1 after falseInterruptionMs
 * ```
 *
 * @example
 * ```ts
 * signals$.pipe(bargeIn({ trigger: 'audio-activity', minSpeechMs: { thinking: 0, speaking: 150 },
 *   minWords: { thinking: 1, speaking: 2 }, falseInterruptionMs: 1500, backchannels: ['yeah'] }))
 *   .subscribe((decision) => console.log(decision.type, decision.speechId));
 * ```
 */
export function bargeIn(options: BargeInOptions): OperatorFunction<BargeInSignal, BargeInDecision> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const confirmStability = options.confirmStability ?? 0.8;
  return (source) =>
    new Observable<BargeInDecision>((subscriber) => {
      let agent: Extract<BargeInSignal, { type: 'agent' }> = {
        type: 'agent',
        state: 'idle',
        isInterruptible: false,
      };
      let phase: 'idle' | 'onset' | 'paused' = 'idle';
      let pauseSource: InterruptSource = 'audio_activity';
      let onsetTimer: Subscription | undefined;
      let resumeTimer: Subscription | undefined;
      /** A final heard early in an utterance that is still going: decided by how long the voice lasts. */
      let heldFinal: { readonly speechId: string; readonly timer?: Subscription } | undefined;
      const utterance = new UserUtterance(() => scheduler.now());
      const stopRequest = new StopRequest(options.stopPhrases ?? []);

      const clearTimers = () => {
        onsetTimer?.unsubscribe();
        resumeTimer?.unsubscribe();
        heldFinal?.timer?.unsubscribe();
        onsetTimer = resumeTimer = heldFinal = undefined;
      };
      const windowMs = (state: 'thinking' | 'speaking') => options.backchannelWindowMs?.[state] ?? 0;
      /** The speech barge-in can act on right now, if any. */
      const active = (): { state: 'thinking' | 'speaking'; speechId: string } | undefined =>
        (agent.state === 'thinking' || agent.state === 'speaking') && agent.isInterruptible && agent.speechId
          ? { state: agent.state, speechId: agent.speechId }
          : undefined;
      const pause = (source: InterruptSource) => {
        const speech = active();
        if (!speech || phase === 'paused') return;
        onsetTimer?.unsubscribe();
        phase = 'paused';
        pauseSource = source;
        const { speechId } = speech;
        subscriber.next({ type: 'pause', speechId, source });
        resumeTimer = scheduler.schedule(() => {
          if (phase === 'paused' && agent.speechId === speechId) {
            phase = 'idle';
            subscriber.next({ type: 'resume', speechId });
          }
        }, options.falseInterruptionMs);
      };
      /** Not an interruption after all: a paused speech goes on from where it stopped. */
      const resumeNow = (speechId: string) => {
        if (phase !== 'paused') return;
        clearTimers();
        phase = 'idle';
        subscriber.next({ type: 'resume', speechId });
      };
      const hold = (speech: { state: 'thinking' | 'speaking'; speechId: string }) => {
        pause('audio_activity');
        if (heldFinal) return;
        // A voice that paused short waits for its end (or for more words); one still going may
        // outlast the window, and is committed when it does.
        if (utterance.hasPausedWithin(windowMs(speech.state))) {
          heldFinal = { speechId: speech.speechId };
          return;
        }
        heldFinal = {
          speechId: speech.speechId,
          timer: scheduler.schedule(
            () => {
              heldFinal = undefined;
              if (utterance.isSpeaking) commit('user_turn');
            },
            utterance.msUntil(windowMs(speech.state)),
          ),
        };
      };
      /** The voice of a held final ended: short, it was at most a backchannel; long, it interrupts. */
      const decideHeld = (state: 'thinking' | 'speaking') => {
        if (!heldFinal) return;
        const { speechId } = heldFinal;
        heldFinal.timer?.unsubscribe();
        heldFinal = undefined;
        if (utterance.wasShorterThan(windowMs(state))) resumeNow(speechId);
        else commit('user_turn');
      };
      // The commit keeps the source of the pause that opened the interruption.
      const commit = (source: InterruptSource) => {
        const speech = active();
        if (!speech) return;
        if (phase !== 'paused') pause(source);
        clearTimers();
        phase = 'idle';
        subscriber.next({ type: 'commit', speechId: speech.speechId, source: pauseSource });
      };

      const subscription = source.subscribe({
        next: (signal) => {
          switch (signal.type) {
            case 'agent': {
              const isSameSpeech = signal.speechId === agent.speechId;
              const pausedSpeechId = phase === 'paused' ? agent.speechId : undefined;
              agent = signal;
              if (!isSameSpeech || !active()) {
                // A new speech (or none) starts clean; a pending pause of the old one is moot.
                clearTimers();
                phase = 'idle';
                // The same speech goes on but may no longer be interrupted: never leave it paused.
                const isStillSpeaking = signal.state === 'thinking' || signal.state === 'speaking';
                if (isSameSpeech && pausedSpeechId && isStillSpeaking) {
                  subscriber.next({ type: 'resume', speechId: pausedSpeechId });
                }
              }
              return;
            }
            case 'onset': {
              utterance.started(signal.atMs);
              stopRequest.reset();
              const speech = active();
              if (!speech || options.trigger !== 'audio-activity' || phase !== 'idle') return;
              const delay = options.minSpeechMs[speech.state];
              phase = 'onset';
              if (delay === 0) pause('audio_activity');
              else onsetTimer = scheduler.schedule(() => phase === 'onset' && pause('audio_activity'), delay);
              return;
            }
            case 'speech-pause':
              utterance.paused(signal.atMs);
              return;
            case 'speech-end': {
              utterance.ended(signal.atMs);
              if (phase === 'onset') {
                // Too short to count as barge-in (a cough, a click).
                onsetTimer?.unsubscribe();
                phase = 'idle';
              }
              const speech = active();
              if (speech) decideHeld(speech.state);
              return;
            }
            case 'transcript': {
              const wordCount = wordsOf(signal.text).length;
              utterance.heard(wordCount, signal.isFinal);
              if (signal.isFinal) stopRequest.heardFinal(signal.text, signal.alternatives);
              else stopRequest.heardInterim(signal.text);
              const speech = active();
              if (!speech) return;
              if (isHeardAsBackchannel(signal, wordCount, options)) {
                if (signal.isFinal) resumeNow(speech.speechId);
                return;
              }
              if (wordCount < options.minWords[speech.state]) return;
              if (options.trigger === 'audio-activity') {
                // Early words are the recognizer's first guess: a rough one hears "mhm" as "um" or
                // even "i'll make". They pause; only words after the window, or a final, commit.
                const isWithinWindow = utterance.isWithin(windowMs(speech.state));
                if (!signal.isFinal && isWithinWindow) {
                  pause('audio_activity');
                  return;
                }
                const isStop = signal.isFinal && stopRequest.isStop(signal.text);
                // A short utterance, over, that is not a stop: what a backchannel heard roughly is.
                if (signal.isFinal && utterance.wasShorterThan(windowMs(speech.state)) && !isStop) {
                  resumeNow(speech.speechId);
                  return;
                }
                // A final inside the window while the voice goes on (a fast recognizer's "her"
                // for "mhm" comes before the detector's end of speech): the voice's length
                // decides — it ends short, the speech resumes; it outlasts the window, a commit.
                if (signal.isFinal && utterance.isSpeaking && isWithinWindow && !isStop) {
                  hold(speech);
                  return;
                }
              }
              const isConfirmed =
                options.trigger === 'audio-activity' ||
                signal.isFinal ||
                (signal.stability ?? 0) >= confirmStability;
              if (isConfirmed) commit('user_turn');
              else pause('user_turn');
              return;
            }
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        clearTimers();
        subscription.unsubscribe();
      };
    });
}
