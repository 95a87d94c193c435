import { EventEmitter } from 'eventemitter3';
import { asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { z } from 'zod';
import { ProtocolError, SessionClosedError } from '../errors/families';
import type { SpeechAudio } from '../frames/agent';
import type { ChatMessage } from '../frames/chat';
import { type DtmfDigit, isDtmfDigit } from '../frames/dtmf';
import type { PlaybackControl } from '../frames/playback-control';
import { type Clock, clockFor } from '../internal/clock';
import { createIdFactory } from '../internal/ids';
import type { TurnMetrics } from '../metrics/turn-metrics';
import type { LlmToolDefinition } from '../providers/llm';
import { AgentSpeaker } from './agent/agent-speaker';
import type { ResolvedVoiceSessionConfig } from './config';
import type { SessionEvent, SessionEventMap, SessionEventType } from './events';
import { resolvePipeline } from './pipeline/default-stages';
import { relayProviderHealth } from './provider-health-relay';
import { SessionOutlets } from './session-outlets';
import type { SessionParts } from './session-parts';
import type { SessionState } from './state';
import { StateTracker } from './state-tracker';
import { TurnTaking } from './user/turn-taking';
import type { AudioInput, PlaybackAck, SayOptions, VoiceSession } from './voice-session';

type Listeners = { [K in SessionEventType]: (event: SessionEventMap[K]) => void };

const nextSessionId = createIdFactory('session');

/**
 * The one implementation of {@link VoiceSession}; build it with `createVoiceSession`. It wires
 * the two sides of a conversation — {@link TurnTaking} (when the user's turn ends) and
 * {@link AgentSpeaker} (what the agent says next) — to the session's inputs, lifecycle and
 * outlets, and owns nothing else.
 */
export class VoiceSessionImpl extends EventEmitter<Listeners> implements VoiceSession {
  readonly id: string;
  readonly events$: Observable<SessionEvent>;
  readonly state$: Observable<SessionState>;
  readonly audio$: Observable<SpeechAudio>;
  readonly controls$: Observable<PlaybackControl>;
  readonly metrics$: Observable<TurnMetrics>;

  readonly #out: SessionOutlets;
  readonly #states: StateTracker;
  readonly #speaker: AgentSpeaker;
  readonly #turns: TurnTaking;
  readonly #history: ChatMessage[];
  readonly #providerHealth: Subscription;
  #isSuspended = false;
  #isClosed = false;

  constructor(config: ResolvedVoiceSessionConfig) {
    super();
    this.id = config.id ?? nextSessionId();
    const scheduler: SchedulerLike = config.scheduler ?? asyncScheduler;
    const now: Clock = clockFor(config.scheduler);
    const pipeline = resolvePipeline(config.pipeline);
    this.#history = [{ role: 'system', content: config.instructions }, ...config.history];
    const toolDefinitions: LlmToolDefinition[] = config.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.parameters) as Record<string, unknown>,
    }));
    this.#states = new StateTracker(
      (state, previous) => {
        this.#out.state.next(state);
        this.#out.emit('state', { state, previous });
      },
      (error) => this.#out.emit('error', { error }),
    );
    this.#out = new SessionOutlets(
      this as { emit(type: string, payload: unknown): boolean },
      this.#states.snapshot(),
    );
    const shared: SessionParts = {
      sessionId: this.id,
      config,
      pipeline,
      scheduler,
      now,
      out: this.#out,
      states: this.#states,
    };
    this.#speaker = new AgentSpeaker({
      ...shared,
      history: this.#history,
      toolDefinitions,
      isAvailable: () => !this.#isClosed && !this.#isSuspended,
      onChange: () => this.#turns.agentChanged(),
    });
    this.#turns = new TurnTaking({
      ...shared,
      floor: this.#speaker,
      inputSampleRate: config.inputSampleRate ?? config.stt.sampleRate,
    });
    this.#providerHealth = relayProviderHealth([config.stt, config.llm, config.tts], this.#out);
    this.events$ = this.#out.events$;
    this.state$ = this.#out.state.asObservable();
    this.audio$ = this.#out.audio$;
    this.controls$ = this.#out.controls$;
    this.metrics$ = this.#out.metrics$;
    this.#states.moveAgent('start');
  }

  get state(): SessionState {
    return this.#out.state.value;
  }

  get history(): readonly ChatMessage[] {
    return this.#history;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  get isSuspended(): boolean {
    return this.#isSuspended;
  }

  pushAudio(input: AudioInput): void {
    if (this.#isClosed || this.#isSuspended) return;
    this.#turns.hear(input);
  }

  pushDtmf(digit: DtmfDigit): void {
    if (this.#isClosed) return;
    if (!isDtmfDigit(digit)) {
      const error = new ProtocolError(`not a DTMF digit: ${JSON.stringify(String(digit)).slice(0, 16)}`, {
        source: 'session:dtmf',
      });
      this.#out.emit('error', { error });
      return;
    }
    this.#out.emit('dtmf', { digit });
  }

  sendText(text: string): void {
    this.#assertOpen();
    const trimmed = typeof text === 'string' ? text.trim() : '';
    if (trimmed !== '') this.#turns.typed(trimmed, !this.#isSuspended);
  }

  say(text: string, options: SayOptions = {}): string {
    this.#assertOpen();
    return this.#speaker.say(text, options);
  }

  interrupt(): void {
    this.#speaker.interrupt('programmatic');
  }

  playbackAck(ack: PlaybackAck): void {
    this.#speaker.playbackAck(ack?.speechId, ack?.playedMs);
  }

  playbackStarted(speechId: string): void {
    this.#speaker.playbackStarted(speechId);
  }

  playbackFinished(speechId: string): void {
    this.#speaker.playbackFinished(speechId);
  }

  setInterruptionsEnabled(enabled: boolean): void {
    this.#speaker.isInterruptible = enabled;
    this.#turns.agentChanged();
  }

  suspend(): void {
    if (this.#isClosed || this.#isSuspended) return;
    this.#isSuspended = true;
    this.#speaker.stopAll('suspend');
    this.#turns.stop();
    this.#states.moveUser('speech-end');
    this.#states.moveAgent('suspend');
  }

  resume(): void {
    if (this.#isClosed || !this.#isSuspended) return;
    this.#isSuspended = false;
    this.#states.moveAgent('start');
    this.#turns.agentChanged();
    this.#speaker.drain();
  }

  close(reason = 'closed'): void {
    if (this.#isClosed) return;
    this.#speaker.stopAll('close');
    this.#isClosed = true;
    this.#turns.stop();
    this.#providerHealth.unsubscribe();
    this.#states.moveAgent('close');
    this.#out.emit('closed', { reason });
    this.#out.complete();
    this.removeAllListeners();
  }

  #assertOpen(): void {
    if (this.#isClosed) throw new SessionClosedError();
  }
}
