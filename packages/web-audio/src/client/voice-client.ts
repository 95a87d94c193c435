import {
  connectVoiceAgent,
  type ErrorMessage,
  TypedEmitter,
  type VoiceAgentClient,
  type VoiceAgentClientEvents,
  type VoiceAgentClientOptions,
} from '@voxduplex/transport-socketio/client';
import {
  type DeviceChangeReason,
  type MicrophoneCapture,
  type MicrophoneCaptureOptions,
  startMicrophoneCapture,
} from '../capture/microphone-capture';
import { WebAudioError } from '../errors';
import { type AudioPlayer, type AudioPlayerOptions, createAudioPlayer } from '../playback/audio-player';
import { unlockAudioContext } from '../playback/autoplay';
import type { PlayerEvent } from '../playback/player-events';
import {
  type ConversationUpdate,
  INITIAL_SNAPSHOT,
  updateSnapshot,
  type VoiceClientSnapshot,
} from './conversation';

/** Options of {@link createVoiceClient}. */
export interface VoiceClientOptions {
  /** The voice namespace, e.g. `https://example.com/voice`. */
  readonly url: string;
  /** Handshake auth (a token…), or a function called at every (re)connect. */
  readonly auth?: VoiceAgentClientOptions['auth'];
  /** Transport tuning (reconnection, queued audio, Socket.IO options). */
  readonly transport?: Omit<VoiceAgentClientOptions, 'auth' | 'sampleRate' | 'autoStart'>;
  /** Use this AudioContext (else one is created by `start()`, which should run in a user gesture). */
  readonly audioContext?: AudioContext;
  /** Microphone: device, constraints, rate (default 16 kHz, must match the server's), frame length. */
  readonly microphone?: Omit<MicrophoneCaptureOptions, 'onFrame' | 'onError' | 'onDeviceChange'>;
  /** Player: jitter buffer (default 60 ms), fade, progress interval, destination. */
  readonly player?: AudioPlayerOptions;
  /** Where a user gesture unlocks audio when the autoplay policy blocks it. Default `document`. */
  readonly gestureTarget?: EventTarget;
}

/** Events of a {@link VoiceClient}: the transport's, plus the browser side's. */
export interface VoiceClientEvents extends Omit<VoiceAgentClientEvents, 'error'> {
  /** The snapshot changed. */
  change: VoiceClientSnapshot;
  /** A transport/server error (`ErrorMessage`) or a browser audio failure ({@link WebAudioError}). */
  error: ErrorMessage | WebAudioError;
  /** Everything the player reports (started, progress, finished, interrupted, underrun, dropped). */
  playback: PlayerEvent;
  /** Microphone peak level 0..1, per 20 ms frame. */
  level: number;
  /**
   * The capture moved to another microphone (unplugged, track ended, device removed or added):
   * frames go on. When none can be opened, an `error` with reason `device_lost` comes instead.
   */
  microphone: { readonly deviceId: string | undefined; readonly reason: DeviceChangeReason };
}

/**
 * Capture, transport and player wired together: mic frames go to the server, agent audio and
 * playback controls go to the player, the player's position goes back as acks. Create it with
 * {@link createVoiceClient}; call `start()` from a click so audio may play.
 */
export class VoiceClient extends TypedEmitter<VoiceClientEvents> {
  #snapshot: VoiceClientSnapshot = INITIAL_SNAPSHOT;
  #context: AudioContext | undefined;
  #ownsContext = false;
  #transport: VoiceAgentClient | undefined;
  #player: AudioPlayer | undefined;
  #capture: MicrophoneCapture | undefined;
  #run = 0;
  // Closing the tab ends the session at once (no resume window held open for a page that is gone).
  readonly #onPageHide = (event: Event) => {
    if (!(event as PageTransitionEvent).persisted) this.stop();
  };

  constructor(readonly options: VoiceClientOptions) {
    super();
  }

  /** The current snapshot (same object until something changes: fit for `useSyncExternalStore`). */
  get snapshot(): VoiceClientSnapshot {
    return this.#snapshot;
  }

  /** The transport client while started (for its `sessionId`, `status`…). */
  get transport(): VoiceAgentClient | undefined {
    return this.#transport;
  }

  /** The player while started. */
  get player(): AudioPlayer | undefined {
    return this.#player;
  }

  /**
   * Unlocks audio, opens the microphone and the player, and connects. Rejects with a
   * {@link WebAudioError} when the microphone cannot be used (nothing stays open then).
   */
  async start(): Promise<void> {
    if (this.#snapshot.status !== 'idle' && this.#snapshot.status !== 'closed') return;
    const run = ++this.#run;
    this.#update({ type: 'status', status: 'starting' });
    try {
      const context = this.options.audioContext ?? new AudioContext();
      this.#ownsContext = this.options.audioContext === undefined;
      this.#context = context;
      await unlockAudioContext(context, {
        ...(this.options.gestureTarget ? { gestureTarget: this.options.gestureTarget } : {}),
        onBlocked: (error) => this.#fail(error),
      });
      const player = await createAudioPlayer(context, this.options.player);
      this.#player = player;
      player.onEvent((event) => this.#onPlayback(event));
      const sampleRate = this.options.microphone?.sampleRate ?? 16_000;
      const capture = await startMicrophoneCapture(context, {
        ...this.options.microphone,
        sampleRate,
        onFrame: (frame) => {
          this.#transport?.sendAudio(frame.samples);
          this.emit('level', frame.peak);
        },
        onError: (error) => this.#fail(error),
        onDeviceChange: (deviceId, reason) => this.emit('microphone', { deviceId, reason }),
      });
      if (run !== this.#run) {
        capture.stop();
        return;
      }
      this.#capture = capture;
      globalThis.addEventListener?.('pagehide', this.#onPageHide);
      this.#connect(sampleRate);
    } catch (error) {
      if (run === this.#run) {
        this.#teardown();
        this.#update({ type: 'status', status: 'idle' });
      }
      const failure = WebAudioError.isWebAudioError(error)
        ? error
        : new WebAudioError('device_unavailable', String((error as Error)?.message ?? error), {
            cause: error,
          });
      this.#fail(failure);
      throw failure;
    }
  }

  /** Disconnects (the server closes the session), releases the microphone, stops playback. */
  stop(): void {
    this.#run++;
    this.#teardown();
    this.#update({ type: 'status', status: 'closed' });
  }

  /** Stops the agent now: local playback is silenced at once, and the server is told. */
  interrupt(): void {
    this.#player?.interrupt();
    this.#transport?.interrupt();
  }

  /** A typed message, answered like speech. */
  sendText(text: string): void {
    this.#transport?.sendText(text);
  }

  /** Listens to snapshot changes (for `useSyncExternalStore`); returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    return this.on('change', listener);
  }

  #connect(sampleRate: number): void {
    const transport = connectVoiceAgent(this.options.url, {
      ...this.options.transport,
      ...(this.options.auth ? { auth: this.options.auth } : {}),
      sampleRate,
      autoStart: true,
    });
    this.#transport = transport;
    const player = this.#player!;
    const relay = <K extends keyof VoiceAgentClientEvents & keyof VoiceClientEvents>(event: K) =>
      transport.on(event, (payload) => this.emit(event, payload as VoiceClientEvents[K]));
    for (const event of [
      'ready',
      'state',
      'transcript',
      'user-turn',
      'speech-start',
      'agent-text',
    ] as const) {
      relay(event);
    }
    for (const event of [
      'agent-audio',
      'audio-end',
      'control',
      'speech-end',
      'metrics',
      'refused',
      'session-lost',
      'closed',
    ] as const) {
      relay(event);
    }
    transport.on('status', (change) => {
      // A dropped connection: the server cuts the speech at our last ack, so stop playing too.
      if (change.status === 'reconnecting') player.interrupt();
      this.#update({ type: 'status', status: change.status });
      this.emit('status', change);
    });
    transport.on('agent-audio', (chunk) => player.enqueue(chunk));
    transport.on('control', (control) => player.control(control));
    // Every chunk of the speech is here: the player reports `finished` at its last sample, and
    // that report lets the server end the turn at once.
    transport.on('audio-end', (end) => player.end(end.speechId));
    transport.on('speech-end', (end) => {
      // From a server without `audio-end`, this is the first the player hears of the end.
      if (end.interrupted) player.interrupt(end.speechId);
      else player.end(end.speechId);
      this.#update({ type: 'speech-end', end });
    });
    transport.on('state', (state) => this.#update({ type: 'state', state }));
    transport.on('transcript', (transcript) => this.#update({ type: 'transcript', transcript }));
    transport.on('user-turn', (turn) => this.#update({ type: 'user-turn', turn }));
    transport.on('agent-text', (text) => this.#update({ type: 'agent-text', text }));
    transport.on('metrics', (metrics) => this.#update({ type: 'metrics', metrics }));
    transport.on('error', (error) => {
      this.#update({
        type: 'error',
        error: { code: error.code, reason: error.reason, message: error.message },
      });
      this.emit('error', error);
    });
    transport.on('closed', () => {
      this.#teardown();
      this.#update({ type: 'status', status: 'closed' });
    });
    this.#update({ type: 'status', status: transport.status });
  }

  #onPlayback(event: PlayerEvent): void {
    const transport = this.#transport;
    switch (event.type) {
      case 'started':
        transport?.playbackStarted(event.speechId);
        break;
      case 'progress':
      case 'paused':
        transport?.playbackAck({ speechId: event.speechId, playedMs: event.playedMs });
        break;
      case 'interrupted':
        transport?.playbackAck({ speechId: event.speechId, playedMs: event.playedMs });
        break;
      case 'finished':
        transport?.playbackAck({ speechId: event.speechId, playedMs: event.playedMs });
        transport?.playbackFinished(event.speechId);
        break;
      case 'underrun':
        this.#update({ type: 'underrun', underruns: event.underruns });
        break;
      case 'jitter-buffer':
        this.#update({ type: 'jitter-buffer', jitterBufferMs: event.targetMs });
        break;
    }
    this.emit('playback', event);
  }

  #fail(error: WebAudioError): void {
    this.#update({
      type: 'error',
      error: { code: error.code, reason: error.reason, message: error.message },
    });
    this.emit('error', error);
  }

  #teardown(): void {
    globalThis.removeEventListener?.('pagehide', this.#onPageHide);
    this.#capture?.stop();
    this.#capture = undefined;
    this.#transport?.close();
    this.#transport = undefined;
    this.#player?.close();
    this.#player = undefined;
    if (this.#ownsContext) void this.#context?.close().catch(() => undefined);
    this.#context = undefined;
  }

  #update(update: ConversationUpdate): void {
    const next = updateSnapshot(this.#snapshot, update);
    if (next === this.#snapshot) return;
    this.#snapshot = next;
    this.emit('change', next);
  }
}

/**
 * A framework-free voice client: microphone → server, agent audio → speaker, interruptible.
 *
 * @example
 * ```ts
 * const client = createVoiceClient({ url: 'https://example.com/voice', auth: { token } });
 * button.onclick = () => client.start();          // a user gesture unlocks audio
 * client.on('change', (s) => render(s.state.phase, s.conversation));
 * stopButton.onclick = () => client.stop();
 * ```
 */
export function createVoiceClient(options: VoiceClientOptions): VoiceClient {
  return new VoiceClient(options);
}
