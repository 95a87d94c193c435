import type { VoiceAgentClient, VoiceAgentClientEvents } from '@voxduplex/transport-socketio/client';

/** The next `event` the client reports. */
export function nextEvent<K extends keyof VoiceAgentClientEvents>(
  client: VoiceAgentClient,
  event: K,
): Promise<VoiceAgentClientEvents[K]> {
  return new Promise((resolve) => {
    const off = client.on(event, (payload) => {
      off();
      resolve(payload);
    });
  });
}

/** Sends a typed turn, plays (acks) the reply, and resolves with the text the agent spoke. */
export function turn(client: VoiceAgentClient, text: string): Promise<string> {
  const spoken = new Promise<string>((resolve) => {
    const offAudio = client.on('agent-audio', (chunk) =>
      client.playbackAck({ speechId: chunk.speechId, playedMs: chunk.offsetMs + chunk.durationMs }),
    );
    const offEnd = client.on('speech-end', (end) => {
      offAudio();
      offEnd();
      resolve(end.text);
    });
  });
  client.sendText(text);
  return within(spoken, `the answer to '${text}'`);
}

/** Waits for `promise`, failing with `what` after a bound (not a timing claim). */
export async function within<T>(promise: Promise<T>, what: string, boundMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), boundMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether process `pid` is alive. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
