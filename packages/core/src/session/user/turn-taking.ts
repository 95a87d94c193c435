import { AudioFormatError } from '../../errors/families';
import { toVoxError } from '../../errors/to-vox-error';
import type { SttEvent, VadEvent } from '../../frames/transcript';
import type { BargeInSignal } from '../../operators/barge-in';
import type { UserTurnEnd } from '../../operators/detect-end-of-turn';
import { isEchoOf } from '../../operators/echo/echo-words';
import { StopRequest } from '../../operators/stop-request';
import { isBackchannel, isStopPhrase } from '../../operators/words';
import type { AgentSpeaker, UserTurnMarks } from '../agent/agent-speaker';
import { DEFAULT_STOP_PHRASES, valueForState } from '../config';
import type { SessionParts } from '../session-parts';
import type { AudioInput } from '../voice-session';
import { audioInputProblem, placeOnTimeline } from './audio-input';
import { PreemptiveTrigger } from './preemptive-trigger';
import { type RecognitionLoss, UserListener } from './user-listener';

/** A transcript repeating the agent this soon after its speech ended is still its echo. */
const ECHO_TRANSCRIPT_TAIL_MS = 2500;

/** The part of the agent's side that turn-taking talks to. */
export type AgentFloor = Pick<
  AgentSpeaker,
  | 'current'
  | 'canBeInterrupted'
  | 'markOnset'
  | 'onBargeIn'
  | 'queueUserTurn'
  | 'interrupt'
  | 'reply'
  | 'preempt'
  | 'dropPreemptUnlessFor'
  | 'acknowledgeStop'
  | 'playedAudio'
  | 'recentlySpokenText'
>;

/** What turn-taking shares with its session. */
export interface TurnTakingContext extends SessionParts {
  readonly floor: AgentFloor;
  /** The rate `pushAudio` frames must have. */
  readonly inputSampleRate: number;
}

/**
 * The user's side of a session: "when does the user's turn end". It hears the microphone
 * (through a {@link UserListener}), tracks when the user starts and stops speaking, feeds the
 * barge-in policy, starts early replies (preemptive generation), and hands each finished user
 * turn to the agent — or, while the agent holds the floor, decides that it was only an
 * acknowledgement, that it must wait, or that it was not enough to take the floor.
 */
export class TurnTaking {
  readonly #context: TurnTakingContext;
  readonly #preemptive: PreemptiveTrigger;
  #listener: UserListener | undefined;
  #marks: UserTurnMarks = {};
  /** Whether the turn being spoken asks the agent to stop, from its other readings too. */
  readonly #stopRequest: StopRequest;
  /** The user cut the agent's speech during the turn now being spoken. */
  #hasInterrupted = false;
  /** The turn now being spoken began (or went on) while the agent held the floor. */
  #isOverAgent = false;
  #audioClockMs = 0;
  /** Where the audio timeline stood at the last frame, and when (maps audio times to the clock). */
  #lastArrival: { audioMs: number; at: number } | undefined;

  constructor(context: TurnTakingContext) {
    this.#context = context;
    this.#preemptive = new PreemptiveTrigger(context.config.preemptiveGeneration, context.floor);
    this.#stopRequest = new StopRequest(context.config.interruption.stopPhrases);
  }

  /** Microphone audio: validated, placed on the session's audio timeline, heard. */
  hear(input: AudioInput): void {
    const problem = audioInputProblem(input, this.#context.inputSampleRate);
    if (problem) {
      this.#context.out.emit('error', { error: new AudioFormatError(problem, { source: 'session' }) });
      return;
    }
    const { frame, endMs } = placeOnTimeline(input, this.#audioClockMs);
    this.#audioClockMs = endMs;
    this.#lastArrival = { audioMs: endMs, at: this.#context.now() };
    this.#ensureListener().push(frame);
  }

  /** A typed user message: a finished turn that takes the floor at once where it may. */
  typed(text: string, isAvailable: boolean): void {
    const { floor, config } = this.#context;
    if (!isAvailable || (floor.current && !floor.canBeInterrupted)) {
      floor.queueUserTurn(text);
      return;
    }
    const isStop = floor.current !== undefined && isStopPhrase(text, config.interruption.stopPhrases);
    floor.interrupt('user_turn');
    this.#marks = {};
    if (isStop) floor.acknowledgeStop(text);
    else floor.reply(text);
  }

  /** The agent's state, speech or interruptibility changed: barge-in must know. */
  agentChanged(): void {
    this.#listener?.signal(this.#agentSignal());
  }

  /** Stops hearing (suspend, close): every provider stream, stage and timer is closed. */
  stop(): void {
    this.#listener?.close();
    this.#listener = undefined;
  }

  #ensureListener(): UserListener {
    if (this.#listener && !this.#listener.isClosed) return this.#listener;
    const { config, pipeline, scheduler, sessionId, now } = this.#context;
    const { interruption, turnDetection } = config;
    const perState = (setting: typeof interruption.minSpeechMs) => ({
      thinking: valueForState(setting, 'thinking'),
      speaking: valueForState(setting, 'speaking'),
    });
    this.#listener = new UserListener(
      {
        stt: config.stt,
        vad: config.vad,
        stages: pipeline,
        context: { sessionId, scheduler },
        audioIn: { playedAgentAudio: this.#context.floor.playedAudio, echo: interruption.echo },
        turnDetection,
        bargeIn: {
          trigger: interruption.trigger,
          minSpeechMs: perState(interruption.minSpeechMs),
          minWords: perState(interruption.minWords),
          falseInterruptionMs: interruption.falseInterruptionMs,
          backchannels: interruption.backchannels,
          // A short stop interrupts even where the app's LLM answers stops (`stopPhrases: []`).
          stopPhrases: [...new Set([...interruption.stopPhrases, ...DEFAULT_STOP_PHRASES])],
          backchannelWindowMs: perState(interruption.backchannelWindowMs),
        },
        recognitionRetry: config.recognitionRetry,
        now,
      },
      {
        stt: (event) => this.#onStt(event),
        vad: (event) => this.#onVad(event),
        turn: (turn) => this.#onUserTurn(turn),
        bargeIn: (decision) => {
          const { floor } = this.#context;
          if (decision.type === 'commit' && floor.current?.speechId === decision.speechId)
            this.#hasInterrupted = true;
          floor.onBargeIn(decision);
        },
        lost: (loss) => this.#onRecognitionLost(loss),
        stageFailed: (error) => this.#context.out.emit('error', { error }),
      },
      this.#agentSignal(),
    );
    return this.#listener;
  }

  /** A recognizer or VAD stream stopped: whatever it was hearing has ended; it reopens on audio. */
  #onRecognitionLost(loss: RecognitionLoss): void {
    this.#speechEnd();
    const { config, out } = this.#context;
    const { provider, reason, consecutiveFailures, retryInMs } = loss;
    if (reason === 'failed') {
      const name = provider === 'stt' ? config.stt.name : (config.vad?.name ?? 'vad');
      out.emit('error', { error: toVoxError(loss.error, `${provider}:${name}`) });
    }
    out.emit('recognition-lost', { provider, reason, consecutiveFailures, retryInMs });
  }

  #onStt(event: SttEvent): void {
    // Without a VAD the recognizer says when the user speaks; with one, the VAD does.
    const isActivitySource = !this.#context.config.vad;
    switch (event.type) {
      case 'speech-start':
        if (isActivitySource) this.#speechStart(event.atMs);
        return;
      case 'speech-end':
        if (isActivitySource) this.#speechEnd(event.atMs);
        return;
      case 'speech-pause':
        if (isActivitySource) this.#speechPause(event.atMs);
        return;
      case 'interim':
      case 'final': {
        const { transcript } = event;
        if (transcript.text.trim() === '' || this.#isEcho(transcript.text)) return;
        if (isActivitySource && event.type === 'interim') this.#speechStart();
        this.#context.out.emit('transcript', { transcript });
        if (transcript.isFinal) {
          this.#marks.sttFinal ??= this.#context.now();
          this.#stopRequest.heardFinal(transcript.text, transcript.alternatives);
        } else this.#stopRequest.heardInterim(transcript.text);
        this.#listener?.signal({
          type: 'transcript',
          text: transcript.text,
          isFinal: transcript.isFinal,
          ...(transcript.stability === undefined ? {} : { stability: transcript.stability }),
          ...(transcript.alternatives ? { alternatives: transcript.alternatives } : {}),
        });
        this.#preemptive.onTranscript(transcript);
        return;
      }
    }
  }

  #onVad(event: VadEvent): void {
    if (event.type === 'speech-start') this.#speechStart(event.atMs);
    else if (event.type === 'speech-pause') this.#speechPause(event.atMs);
    else this.#speechEnd(event.atMs);
  }

  #speechStart(atMs?: number): void {
    const { states, now, floor } = this.#context;
    if (states.user === 'speaking') return;
    this.#marks.onset = now();
    this.#marks.speechEnd = undefined;
    if (floor.current) this.#isOverAgent = true;
    floor.markOnset(this.#marks.onset);
    states.moveUser('speech-start');
    this.#listener?.signal({ type: 'onset', ...(atMs === undefined ? {} : { atMs }) });
  }

  /** The user's voice stopped for a moment: an early reply may start, barge-in weighs the words. */
  #speechPause(atMs?: number): void {
    this.#preemptive.onPause();
    this.#listener?.signal({ type: 'speech-pause', ...(atMs === undefined ? {} : { atMs }) });
  }

  #speechEnd(atMs?: number): void {
    const { states } = this.#context;
    if (states.user !== 'speaking') return;
    this.#marks.speechEnd = this.#clockTimeOfAudio(atMs);
    states.moveUser('speech-end');
    this.#listener?.signal({ type: 'speech-end', ...(atMs === undefined ? {} : { atMs }) });
  }

  /**
   * When the audio at `atMs` of the timeline reached the session: the moment the user's voice
   * really stopped, before the detector's silence wait, so latency metrics include that wait.
   */
  #clockTimeOfAudio(atMs: number | undefined): number {
    const now = this.#context.now();
    const arrival = this.#lastArrival;
    if (atMs === undefined || !arrival) return now;
    return Math.min(now, arrival.at - Math.max(0, arrival.audioMs - atMs));
  }

  #onUserTurn(turn: UserTurnEnd): void {
    this.#preemptive.onTurn();
    const text = typeof turn?.text === 'string' ? turn.text.trim() : '';
    const hasInterrupted = this.#hasInterrupted;
    const isOverAgent = this.#isOverAgent;
    this.#hasInterrupted = this.#isOverAgent = false;
    const isStop = this.#stopRequest.isStop(text);
    this.#stopRequest.reset();
    if (!this.#listener || text === '' || this.#isEcho(text)) return;
    const { floor, config } = this.#context;
    if (floor.current) {
      // The agent holds the floor: an acknowledgement is not a turn; a real turn over speech
      // that may not be interrupted waits for it; one that did not reach the barge-in
      // thresholds is dropped (the configuration said it is not enough to take the floor).
      if (isBackchannel(text, config.interruption.backchannels)) return;
      if (!floor.canBeInterrupted) floor.queueUserTurn(text);
      return;
    }
    // An acknowledgement said over the agent's speech is still one when that speech has ended
    // before the recognizer's final ("right" over the story's last words).
    if (isOverAgent && !hasInterrupted && isBackchannel(text, config.interruption.backchannels)) return;
    const marks = this.#marks;
    this.#marks = {};
    // "Stop" after cutting the agent off means stop: the agent falls quiet and listens.
    if (hasInterrupted && isStop) floor.acknowledgeStop(text);
    else floor.reply(text, marks);
  }

  /** The recognizer heard the agent's own voice (the mic picks up its speakers): not the user. */
  #isEcho(text: string): boolean {
    const { echo } = this.#context.config.interruption;
    if (echo === false || echo.transcripts === false) return false;
    const { floor, now } = this.#context;
    const tailMs = echo.transcriptTailMs ?? ECHO_TRANSCRIPT_TAIL_MS;
    const agentText = floor.recentlySpokenText(this.#marks.onset ?? now(), tailMs);
    return agentText !== '' && isEchoOf(text, agentText);
  }

  #agentSignal(): BargeInSignal {
    const { floor, states } = this.#context;
    const run = floor.current;
    return {
      type: 'agent',
      state: states.agent,
      ...(run ? { speechId: run.speechId } : {}),
      isInterruptible: floor.canBeInterrupted,
    };
  }
}
