import type { Server } from 'socket.io';

/** One engine.io packet the server sent, as the bytes that went out. */
export interface OutboundPacket {
  readonly type: string;
  readonly bytes: Buffer;
}

/**
 * Records every engine.io packet the server writes to any client (events, acks, binary
 * attachments, `connect_error` refusals), below Socket.IO's encoder: what a client could read
 * off the wire, not what our code meant to send. Install before the clients connect.
 */
export function tapServerOutput(io: Server): {
  readonly packets: OutboundPacket[];
  contains(text: string): boolean;
} {
  const packets: OutboundPacket[] = [];
  io.engine.on('connection', (connection: NodeJS.EventEmitter) => {
    connection.on('packetCreate', (packet: { type: string; data?: unknown }) => {
      packets.push({ type: packet.type, bytes: toBytes(packet.data) });
    });
  });
  return {
    packets,
    contains: (text) => {
      const needle = Buffer.from(text, 'utf8');
      return packets.some((packet) => packet.bytes.includes(needle));
    },
  };
}

function toBytes(data: unknown): Buffer {
  if (data === undefined || data === null) return Buffer.alloc(0);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(JSON.stringify(data), 'utf8');
}
