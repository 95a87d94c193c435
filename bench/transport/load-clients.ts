// The lightest clients that still speak each server's real wire format: a `ws` socket per client
// (no masking work: an all-zero mask key), pre-encoded packets, and a handshake done by hand.
// Socket.IO: Engine.IO v4 open → Socket.IO CONNECT to the namespace → `ready` → `start`, then each
// frame is the two WebSocket messages Socket.IO uses for a binary event (text header + bytes).
// Bare ws: each frame is one binary message.
import { WebSocket } from 'ws';
import type { TransportKind } from './messages';
import { audioEventHeader, connectPacket, eventPrefix, startPacket } from './wire';

/** One simulated microphone. */
export interface LoadClient {
  sendFrame(frame: Buffer): void;
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
const textOptions = { binary: false } as const;
const binaryOptions = { binary: true } as const;

/** Opens one client; resolves once the server is ready for audio. */
export function connectLoadClient(
  kind: TransportKind,
  port: number,
  errors: ServerErrorLog,
): Promise<LoadClient> {
  const url =
    kind === 'socketio'
      ? `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`
      : `ws://127.0.0.1:${port}`;
  const socket = new WebSocket(url, { perMessageDeflate: false, generateMask: zeroMask });
  const client: LoadClient =
    kind === 'socketio'
      ? {
          sendFrame: (frame) => {
            socket.send(audioEventHeader, textOptions);
            socket.send(frame, binaryOptions);
          },
          close: () => socket.terminate(),
        }
      : { sendFrame: (frame) => socket.send(frame, binaryOptions), close: () => socket.terminate() };
  const readyPrefix = eventPrefix('ready');
  const errorPrefix = eventPrefix('error');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before ready')));
    if (kind === 'ws') socket.once('open', () => resolve(client));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = String(data);
      if (text.startsWith('0')) socket.send(connectPacket);
      else if (text === '2')
        socket.send('3'); // Engine.IO heartbeat
      else if (text.startsWith(readyPrefix)) {
        socket.send(startPacket);
        resolve(client);
      } else if (text.startsWith(errorPrefix) || text.startsWith('44')) {
        errors.count++;
        errors.first ??= text.slice(0, 300);
        if (text.startsWith('44')) reject(new Error(`refused: ${text}`));
      }
    });
  });
}
