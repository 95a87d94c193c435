/**
 * The bytes of a binary Socket.IO payload as a `Uint8Array`: Node delivers `Buffer`s, browsers
 * `ArrayBuffer`s; typed arrays and DataViews are viewed as-is. Anything else yields `undefined`.
 */
export function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}
