/**
 * The Azure Speech WebSocket framing, both directions.
 *
 * Text frame: `Name: value\r\n` header lines, a blank line, then the body.
 * Binary frame: 2-byte big-endian header length, ASCII header lines, then the payload.
 */

/** One message on an Azure Speech socket. Header names are lower-cased. */
export interface WireMessage {
  readonly path: string;
  readonly requestId: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly binary?: Uint8Array;
}

function parseHeaderLines(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Parses one frame as the `ws` server delivered it. Throws on a malformed binary frame. */
export function parseFrame(data: Buffer, isBinary: boolean): WireMessage {
  if (!isBinary) {
    const raw = data.toString('utf8');
    const split = raw.indexOf('\r\n\r\n');
    const headers = parseHeaderLines(split < 0 ? raw : raw.slice(0, split));
    const text = split < 0 ? '' : raw.slice(split + 4);
    return { path: headers.path ?? '', requestId: headers['x-requestid'] ?? '', headers, text };
  }
  if (data.byteLength < 2) throw new Error('binary frame shorter than its header length');
  const headerLength = data.readUInt16BE(0);
  if (data.byteLength < 2 + headerLength) throw new Error('binary frame shorter than its headers');
  const headers = parseHeaderLines(data.subarray(2, 2 + headerLength).toString('ascii'));
  const binary = new Uint8Array(
    data.buffer,
    data.byteOffset + 2 + headerLength,
    data.byteLength - 2 - headerLength,
  );
  return { path: headers.path ?? '', requestId: headers['x-requestid'] ?? '', headers, binary };
}

function headerBlock(path: string, requestId: string, extra: Readonly<Record<string, string>>): string {
  const lines = [`X-RequestId: ${requestId}`, `X-Timestamp: ${new Date().toISOString()}`, `Path: ${path}`];
  for (const [name, value] of Object.entries(extra)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n`;
}

/** A service-to-client text frame with a JSON body. */
export function textFrame(path: string, requestId: string, body: unknown): string {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  return `${headerBlock(path, requestId, { 'Content-Type': 'application/json; charset=utf-8' })}\r\n${json}`;
}

/** A service-to-client binary frame (synthesized audio). */
export function binaryFrame(
  path: string,
  requestId: string,
  payload: Uint8Array,
  extra: Readonly<Record<string, string>> = {},
): Buffer {
  const headers = Buffer.from(headerBlock(path, requestId, extra), 'ascii');
  const frame = Buffer.allocUnsafe(2 + headers.byteLength + payload.byteLength);
  frame.writeUInt16BE(headers.byteLength, 0);
  headers.copy(frame, 2);
  frame.set(payload, 2 + headers.byteLength);
  return frame;
}

/** 100-ns ticks, the unit of every Azure offset and duration. */
export function ticksFromMs(ms: number): number {
  return Math.round(ms * 10_000);
}
