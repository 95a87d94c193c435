import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type {
  AgentAudioHeader,
  AgentTextMessage,
  AudioEndMessage,
  ClosedMessage,
  ControlMessage,
  MetricsMessage,
  ReadyMessage,
  SpeechEndMessage,
  SpeechStartMessage,
  StateMessage,
  TranscriptMessage,
  UserTurnMessage,
} from '../protocol/server-messages';
import type { ConnectRefusal, ErrorMessage, ResumeRefusal } from '../protocol/wire-error';

/** Where the client is: `ready` means a session is attached and mic audio flows. */
export type ConnectionStatus = 'connecting' | 'ready' | 'reconnecting' | 'closed';

/** A chunk of agent audio as the client hands it to a player. */
export interface AgentAudioChunk extends AgentAudioHeader {
  /** Int16 PCM at `sampleRate`, `channels` interleaved. */
  readonly samples: Int16Array;
}

/** Everything a {@link VoiceAgentClient} reports. */
export interface VoiceAgentClientEvents {
  /** A session is attached (`resumed: true` after a reconnection that kept the session). */
  ready: ReadyMessage;
  /** The connection status changed. */
  status: { readonly status: ConnectionStatus; readonly previous: ConnectionStatus };
  state: StateMessage;
  transcript: TranscriptMessage;
  'user-turn': UserTurnMessage;
  'speech-start': SpeechStartMessage;
  'agent-text': AgentTextMessage;
  'agent-audio': AgentAudioChunk;
  /**
   * The last chunk of a speech was received (it came before this): end the player's speech now
   * so it can report `playbackFinished` when its last sample plays. Older servers never send it;
   * `speech-end` then marks the end.
   */
  'audio-end': AudioEndMessage;
  /** pause / resume / interrupt for the player; never queued behind audio. */
  control: ControlMessage;
  'speech-end': SpeechEndMessage;
  metrics: MetricsMessage;
  /** A typed error: from the server (the message that caused it was dropped) or the client. */
  error: ErrorMessage;
  /** The server refused the handshake (`unauthorized`, `resume_refused`, `protocol_mismatch`). */
  refused: ConnectRefusal;
  /**
   * The earlier session could not be resumed (window over, token refused): a new session
   * starts with the next `ready`, without the earlier history.
   */
  'session-lost': {
    readonly sessionId: string | undefined;
    readonly reason: string;
    /** Why the server refused the resume, when it said (protocol 1 revision 4). */
    readonly detail?: ResumeRefusal;
  };
  /**
   * The session was resumed on another server process from its last checkpoint (the process
   * holding it died): the user's turn `turnId` (`text`), in progress then, was lost with its
   * reply and is not in the history. Ask the user to say it again, or send it again with
   * `sendText(text)`.
   */
  'turn-lost': { readonly turnId: string; readonly text: string };
  /** The server ended the session; the client does not reconnect. */
  closed: ClosedMessage;
}

export interface VoiceAgentClientOptions {
  /** App fields for the handshake `auth` (a token…), or a function called at every (re)connect. */
  auth?: Record<string, unknown> | (() => Record<string, unknown> | Promise<Record<string, unknown>>);
  /** Sample rate of the audio given to `sendAudio`. Default 16 000. */
  sampleRate?: number;
  /** Open the microphone lane as soon as a session is ready. Default true; else call `start()`. */
  autoStart?: boolean;
  /** Mic audio kept while not ready (connecting, reconnecting), ms; the oldest goes first. Default 2000. */
  maxQueuedAudioMs?: number;
  /** Reconnect after a dropped connection. Default true. */
  reconnection?: boolean;
  /** First reconnection delay, ms (doubles up to `reconnectionDelayMaxMs`). Default 500. */
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
  /**
   * How long to wait for `ready` once the connection is open, ms. A namespace where no voice
   * agent is attached accepts the connection and then says nothing; after this long the client
   * emits an `error` with `reason: 'no_agent'` naming the namespace, and closes. (A server with
   * no such namespace at all gets the same error at once.) When no voice server answers at the
   * URL at all for this long (nothing listening, a dev server without a `/socket.io` proxy), the
   * client emits one `error` with `reason: 'unreachable'` and keeps retrying. Raise it if
   * `createSession` can take longer; 0 waits forever. Default 5000.
   */
  readyTimeoutMs?: number;
  /** Extra Socket.IO client options (transports, path…). Default transports: `['websocket']`. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}
