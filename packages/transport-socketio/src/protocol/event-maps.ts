import type { PlaybackAckMessage, PlaybackMarkMessage, StartMessage, TextMessage } from './client-messages';
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
} from './server-messages';
import type { ErrorMessage } from './wire-error';

/** Socket.IO typing of what a client emits (`Socket<ServerToClientEvents, ClientToServerEvents>`). */
export interface ClientToServerEvents {
  start: (message: StartMessage) => void;
  stop: (message?: Record<string, never>) => void;
  /** One binary frame, see {@link encodeMicFrame}. */
  audio: (frame: ArrayBuffer | Uint8Array) => void;
  text: (message: TextMessage) => void;
  interrupt: (message?: Record<string, never>) => void;
  'playback-ack': (message: PlaybackAckMessage) => void;
  'playback-started': (message: PlaybackMarkMessage) => void;
  'playback-finished': (message: PlaybackMarkMessage) => void;
}

/** Socket.IO typing of what the server emits. */
export interface ServerToClientEvents {
  ready: (message: ReadyMessage) => void;
  state: (message: StateMessage) => void;
  transcript: (message: TranscriptMessage) => void;
  'user-turn': (message: UserTurnMessage) => void;
  'speech-start': (message: SpeechStartMessage) => void;
  'agent-text': (message: AgentTextMessage) => void;
  /** Header, Int16 PCM bytes, and a receipt ack the client must call. */
  'agent-audio': (header: AgentAudioHeader, pcm: ArrayBuffer | Uint8Array, ack: () => void) => void;
  /** The last `agent-audio` chunk of a speech was sent (protocol 1 revision 2). */
  'audio-end': (message: AudioEndMessage) => void;
  control: (message: ControlMessage) => void;
  'speech-end': (message: SpeechEndMessage) => void;
  metrics: (message: MetricsMessage) => void;
  error: (message: ErrorMessage) => void;
  closed: (message: ClosedMessage) => void;
}
