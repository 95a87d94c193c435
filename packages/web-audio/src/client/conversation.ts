import type {
  AgentTextMessage,
  ConnectionStatus,
  MetricsMessage,
  SpeechEndMessage,
  StateMessage,
  TranscriptMessage,
  UserTurnMessage,
} from '@voxduplex/transport-socketio/client';

/** One line of the conversation as a UI shows it. */
export interface ConversationEntry {
  readonly role: 'user' | 'agent';
  readonly turnId: string;
  /** Agent entries: the speech they belong to. */
  readonly speechId?: string;
  /** What was said (agent: everything the model wrote for this speech so far). */
  readonly text: string;
  /** Agent entries cut by an interrupt; `heardText` is what the listener heard. */
  readonly isInterrupted?: boolean;
  readonly heardText?: string;
}

/** Where a voice client is, end to end. */
export type VoiceClientStatus = 'idle' | 'starting' | ConnectionStatus;

/** A render-friendly view of a voice client; a new object on every change (never mutated). */
export interface VoiceClientSnapshot {
  readonly status: VoiceClientStatus;
  /** The agent's and user's state as the server reports it. */
  readonly state: StateMessage;
  /** The user's words not yet final ('' when none). */
  readonly interimTranscript: string;
  readonly conversation: readonly ConversationEntry[];
  /** Latency breakdown of the last finished turn. */
  readonly lastMetrics: MetricsMessage | undefined;
  /**
   * The last error (transport, server or browser audio), as code + reason + message. Cleared when
   * the agent answers again or the connection is ready again, so a recovered provider or network
   * does not leave a stale error on screen.
   */
  readonly error: { readonly code: string; readonly reason: string; readonly message: string } | undefined;
  /** Playback underruns so far (audible gaps). */
  readonly underruns: number;
  /** The player's adaptive jitter buffer, ms, once it changed from its start value. */
  readonly jitterBufferMs: number | undefined;
}

/** The snapshot before `start()`. */
export const INITIAL_SNAPSHOT: VoiceClientSnapshot = {
  status: 'idle',
  state: { agent: 'idle', user: 'listening', phase: 'listening' },
  interimTranscript: '',
  conversation: [],
  lastMetrics: undefined,
  error: undefined,
  underruns: 0,
  jitterBufferMs: undefined,
};

/** Everything that changes a snapshot. */
export type ConversationUpdate =
  | { readonly type: 'status'; readonly status: VoiceClientStatus }
  | { readonly type: 'state'; readonly state: StateMessage }
  | { readonly type: 'transcript'; readonly transcript: TranscriptMessage }
  | { readonly type: 'user-turn'; readonly turn: UserTurnMessage }
  | { readonly type: 'agent-text'; readonly text: AgentTextMessage }
  | { readonly type: 'speech-end'; readonly end: SpeechEndMessage }
  | { readonly type: 'metrics'; readonly metrics: MetricsMessage }
  | { readonly type: 'error'; readonly error: NonNullable<VoiceClientSnapshot['error']> }
  | { readonly type: 'underrun'; readonly underruns: number }
  | { readonly type: 'jitter-buffer'; readonly jitterBufferMs: number };

/** Applies one update; returns the same object when nothing changed. */
export function updateSnapshot(
  snapshot: VoiceClientSnapshot,
  update: ConversationUpdate,
): VoiceClientSnapshot {
  switch (update.type) {
    case 'status':
      if (snapshot.status === update.status) return snapshot;
      return update.status === 'ready'
        ? { ...snapshot, status: update.status, error: undefined }
        : { ...snapshot, status: update.status };
    case 'state':
      return { ...snapshot, state: update.state };
    case 'transcript':
      return { ...snapshot, interimTranscript: update.transcript.isFinal ? '' : update.transcript.text };
    case 'user-turn':
      return {
        ...snapshot,
        interimTranscript: '',
        conversation: [
          ...snapshot.conversation,
          { role: 'user', turnId: update.turn.turnId, text: update.turn.text },
        ],
      };
    case 'agent-text':
      return {
        ...snapshot,
        error: undefined,
        conversation: withAgentText(snapshot.conversation, update.text),
      };
    case 'speech-end':
      return { ...snapshot, conversation: withSpeechEnd(snapshot.conversation, update.end) };
    case 'metrics':
      return { ...snapshot, lastMetrics: update.metrics };
    case 'error':
      return { ...snapshot, error: update.error };
    case 'underrun':
      return { ...snapshot, underruns: update.underruns };
    case 'jitter-buffer':
      return { ...snapshot, jitterBufferMs: update.jitterBufferMs };
  }
}

function withAgentText(
  conversation: readonly ConversationEntry[],
  text: AgentTextMessage,
): ConversationEntry[] {
  const index = conversation.findIndex((e) => e.role === 'agent' && e.speechId === text.speechId);
  if (index < 0) {
    return [
      ...conversation,
      { role: 'agent', turnId: text.turnId, speechId: text.speechId, text: text.text },
    ];
  }
  const entry = conversation[index]!;
  const joined = entry.text === '' ? text.text : `${entry.text} ${text.text}`;
  return conversation.map((e, i) => (i === index ? { ...entry, text: joined } : e));
}

function withSpeechEnd(
  conversation: readonly ConversationEntry[],
  end: SpeechEndMessage,
): ConversationEntry[] {
  const index = conversation.findIndex((e) => e.role === 'agent' && e.speechId === end.speechId);
  const ended: ConversationEntry = {
    role: 'agent',
    turnId: end.turnId,
    speechId: end.speechId,
    text: end.text,
    ...(end.interrupted ? { isInterrupted: true, heardText: end.heardText } : {}),
  };
  if (index < 0) return end.text === '' ? [...conversation] : [...conversation, ended];
  return conversation.map((e, i) => (i === index ? ended : e));
}
