/** Bytes of one slab that odd-offset frames are copied into. */
const SLAB_BYTES = 16 * 1024;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/**
 * Views little-endian Int16 PCM bytes as an `Int16Array`. Aligned bytes are viewed in place;
 * bytes at an odd offset (Node hands WebSocket payloads over at any offset) are copied into a
 * shared slab, because a fresh `ArrayBuffer` per 20 ms frame costs more than the copy itself.
 * Like any view, the result's `buffer` holds other bytes too: read it through its own offset and
 * length. Throws a `RangeError` for an odd byte length.
 */
export function int16View(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`odd PCM byte length ${bytes.byteLength}`);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const size = bytes.byteLength;
  if (size > SLAB_BYTES / 4) return new Int16Array(new Uint8Array(bytes).buffer);
  if (slabUsed + size > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const offset = slabUsed;
  new Uint8Array(slab, offset, size).set(bytes);
  // Next copy starts on an 8-byte boundary.
  slabUsed += (size + 7) & ~7;
  return new Int16Array(slab, offset, size / 2);
}
