import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { InterruptSource } from '../frames/playback-control';
import { isBackchannel, wordsOf } from './words';

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
  /** The user started to speak (VAD onset, else the recognizer's speech-start). */
  | { readonly type: 'onset' }
  | { readonly type: 'speech-end' }
  | {
      readonly type: 'transcript';
      readonly text: string;
      readonly isFinal: boolean;
      readonly stability?: number;
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
  /** An interim at least this stable counts as confirmed in `transcript` mode. Default 0.8. */
  readonly confirmStability?: number;
  /**
   * `audio-activity` trigger: interims within this long of the onset do not commit yet — they may
   * be a backchannel the recognizer heard roughly ("mhm" as "um", or as two words). A final that
   * is not a backchannel, an interim after the window, or the user still speaking when the window
   * ends commits; a backchannel final resumes. Per agent state. The cost: an interruption is
   * committed (the LLM and TTS cancelled) up to this much later; the agent is paused — silent —
   * from the onset, so the listener waits for nothing. Default 0 (commit on the first word).
   */
  readonly backchannelWindowMs?: { readonly thinking: number; readonly speaking: number };
  readonly scheduler?: SchedulerLike;
}

/**
 * Two-phase barge-in: user speech over a thinking or speaking agent first **pauses** it, then a
 * real transcript **commits** the interrupt; a pause that no words confirm is **resumed**.
 *
 * - `audio-activity` trigger: an onset lasting `minSpeechMs` pauses (source `audio_activity`);
 *   any transcript with `minWords` words that is not a backchannel commits.
 * - `transcript` trigger: an interim with `minWords` words pauses (source `user_turn`); a final,
 *   or an interim with stability ≥ `confirmStability`, commits.
 * - A transcript made only of backchannels ("mm-hmm", "yeah") never pauses or commits; a final
 *   backchannel during a pause resumes at once.
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
      /** When the user's current speech began (the onset), for the backchannel window. */
      let onsetAt: number | undefined;
      let isUserSpeaking = false;
      /** A one-word interim is waiting for more before it may commit. */
      let windowTimer: Subscription | undefined;

      const clearTimers = () => {
        onsetTimer?.unsubscribe();
        resumeTimer?.unsubscribe();
        windowTimer?.unsubscribe();
        onsetTimer = resumeTimer = windowTimer = undefined;
      };
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
              isUserSpeaking = true;
              onsetAt = scheduler.now();
              const speech = active();
              if (!speech || options.trigger !== 'audio-activity' || phase !== 'idle') return;
              const delay = options.minSpeechMs[speech.state];
              phase = 'onset';
              if (delay === 0) pause('audio_activity');
              else onsetTimer = scheduler.schedule(() => phase === 'onset' && pause('audio_activity'), delay);
              return;
            }
            case 'speech-end': {
              isUserSpeaking = false;
              // One short word and silence: most likely a backchannel; the final decides.
              windowTimer?.unsubscribe();
              windowTimer = undefined;
              if (phase === 'onset') {
                // Too short to count as barge-in (a cough, a click).
                onsetTimer?.unsubscribe();
                phase = 'idle';
              }
              return;
            }
            case 'transcript': {
              const speech = active();
              if (!speech) return;
              if (isBackchannel(signal.text, options.backchannels)) {
                if (signal.isFinal && phase === 'paused') {
                  clearTimers();
                  phase = 'idle';
                  subscriber.next({ type: 'resume', speechId: speech.speechId });
                }
                return;
              }
              const wordCount = wordsOf(signal.text).length;
              if (wordCount < options.minWords[speech.state]) return;
              // Early words are the recognizer's first guess: a rough one hears "mhm" as "um" or
              // even "i'll make". Until the user has spoken for the window, only a final commits.
              if (options.trigger === 'audio-activity' && !signal.isFinal) {
                const windowMs = options.backchannelWindowMs?.[speech.state] ?? 0;
                const heardMs = scheduler.now() - (onsetAt ?? scheduler.now());
                if (heardMs < windowMs) {
                  pause('audio_activity');
                  windowTimer ??= scheduler.schedule(() => {
                    windowTimer = undefined;
                    if (isUserSpeaking && phase === 'paused') commit('user_turn');
                  }, windowMs - heardMs);
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
