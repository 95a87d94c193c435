// The lightest clients that still speak each server's real wire format: a `ws` socket per client
// for the handshake and what the server sends, and frames written straight to its TCP socket as
// pre-built WebSocket frames (all-zero mask key, so no masking work; one write per frame).
// Socket.IO: Engine.IO v4 open → Socket.IO CONNECT to the namespace → `ready` → `start`, then each
// frame is one compact audio message when `ready` offers it (what `connectVoiceAgent` does), or
// the two WebSocket messages of a binary `audio` event (text header + bytes). Bare ws: each frame
// is one binary message.
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { TransportKind } from './messages';
import {
  connectPacket,
  eventPrefix,
  type FramedTemplate,
  framedAudioEvent,
  framedCompactAudio,
  framedMicFrame,
  stampedFrame,
  startPacket,
} from './wire';

/** One simulated microphone. */
export interface LoadClient {
  /** Sends the frame of `tick`, stamped with its send time (µs after the trial's start). */
  sendFrame(tick: number, sentUs: number): void;
  close(): void;
}

/** Counts what the server sent back that a healthy run never gets. */
export interface ServerErrorLog {
  count: number;
  first?: string;
}

// Client frames must carry a mask key; an all-zero key leaves the payload as it is, so `ws`
// skips the XOR pass and the generator spends its CPU on sending only.
const zeroMask = (mask: Uint8Array) => {
  mask.fill(0);
};

/** Opens one client; resolves once the server is ready for audio. */
export function connectLoadClient(
  kind: TransportKind,
  port: number,
  errors: ServerErrorLog,
): Promise<LoadClient> {
  const url =
    kind === 'ws' ? `ws://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
  const socket = new WebSocket(url, { perMessageDeflate: false, generateMask: zeroMask });
  const close = () => socket.terminate();
  // `ws` keeps its TCP socket in `_socket`; writing whole frames there skips its per-message
  // framing work, and frames written by `ws` itself (heartbeat replies) stay whole between ours.
  const sending = ({ bytes, frameOffset }: FramedTemplate): LoadClient => {
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    return { sendFrame: (tick, sentUs) => tcp.write(stampedFrame(bytes, frameOffset, tick, sentUs)), close };
  };
  const readyPrefix = eventPrefix('ready');
  const errorPrefix = eventPrefix('error');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before ready')));
    if (kind === 'ws') socket.once('open', () => resolve(sending(framedMicFrame)));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = String(data);
      if (text.startsWith('0')) socket.send(connectPacket);
      else if (text === '2')
        socket.send('3'); // Engine.IO heartbeat
      else if (text.startsWith(readyPrefix)) {
        socket.send(startPacket);
        const isCompact = kind === 'socketio' && text.includes('"compactAudio":true');
        resolve(sending(isCompact ? framedCompactAudio : framedAudioEvent));
      } else if (text.startsWith(errorPrefix) || text.startsWith('44')) {
        errors.count++;
        errors.first ??= text.slice(0, 300);
        if (text.startsWith('44')) reject(new Error(`refused: ${text}`));
      }
    });
  });
}
