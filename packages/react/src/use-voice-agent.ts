import {
  type ConversationEntry,
  createVoiceClient,
  INITIAL_SNAPSHOT,
  type VoiceClient,
  type VoiceClientOptions,
  type VoiceClientSnapshot,
  type VoiceClientStatus,
} from '@voxduplex/web-audio/client';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';

/** What {@link useVoiceAgent} returns; re-rendered whenever the client's snapshot changes. */
export interface VoiceAgentHandle {
  readonly status: VoiceClientStatus;
  /** `listening`, `user-speaking`, `processing` or `agent-speaking`. */
  readonly phase: VoiceClientSnapshot['state']['phase'];
  readonly state: VoiceClientSnapshot['state'];
  /** The user's words not yet final. */
  readonly interimTranscript: string;
  /** User turns and agent replies (interrupted replies carry `heardText`). */
  readonly conversation: readonly ConversationEntry[];
  readonly lastMetrics: VoiceClientSnapshot['lastMetrics'];
  readonly error: VoiceClientSnapshot['error'];
  /** Playback underruns so far. */
  readonly underruns: number;
  /** The player's adaptive jitter buffer, ms, once it moved from its start value (grows after underruns). */
  readonly jitterBufferMs: number | undefined;
  /** True from `start()` until `stop()` (or the server closing the session). */
  readonly isActive: boolean;
  /** Opens mic, player and connection; call it from a click (autoplay policy). Rejects with a WebAudioError. */
  readonly start: () => Promise<void>;
  readonly stop: () => void;
  /** Silences the agent at once and tells the server. */
  readonly interrupt: () => void;
  readonly sendText: (text: string) => void;
  /** The underlying framework-free client, for events the hook does not surface. */
  readonly client: VoiceClient;
}

/**
 * A voice agent in a React component: microphone, connection, playback and conversation state.
 * One client per `url`; it stops when the component unmounts or the url changes. Other options
 * are read when `start()` runs.
 *
 * @example
 * ```tsx
 * function Agent() {
 *   const agent = useVoiceAgent({ url: '/voice', auth: { token } });
 *   return agent.isActive
 *     ? <button onClick={agent.stop}>{agent.phase}</button>
 *     : <button onClick={() => void agent.start()}>Talk</button>;
 * }
 * ```
 */
export function useVoiceAgent(options: VoiceClientOptions): VoiceAgentHandle {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new client only for a new url; other options apply at start()
  const client = useMemo(() => createVoiceClient(options), [options.url]);
  useEffect(() => () => client.stop(), [client]);
  const snapshot = useSyncExternalStore(
    useCallback((listener: () => void) => client.subscribe(listener), [client]),
    () => client.snapshot,
    () => INITIAL_SNAPSHOT,
  );
  return useMemo(
    () => ({
      status: snapshot.status,
      phase: snapshot.state.phase,
      state: snapshot.state,
      interimTranscript: snapshot.interimTranscript,
      conversation: snapshot.conversation,
      lastMetrics: snapshot.lastMetrics,
      error: snapshot.error,
      underruns: snapshot.underruns,
      jitterBufferMs: snapshot.jitterBufferMs,
      isActive: snapshot.status !== 'idle' && snapshot.status !== 'closed',
      start: () => client.start(),
      stop: () => client.stop(),
      interrupt: () => client.interrupt(),
      sendText: (text: string) => client.sendText(text),
      client,
    }),
    [client, snapshot],
  );
}
