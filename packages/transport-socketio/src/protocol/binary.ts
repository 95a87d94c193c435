/**
 * The bytes of a binary Socket.IO payload as a `Uint8Array`: Node delivers `Buffer`s, browsers
 * `ArrayBuffer`s; typed arrays and DataViews are viewed as-is. Anything else yields `undefined`.
 */
export function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  // Always a plain Uint8Array view, never the Buffer itself: `Buffer#slice` shares memory where
  // `Uint8Array#slice` copies, and the Int16 conversion relies on the copy for odd offsets.
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}
