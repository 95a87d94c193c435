/**
 * G.711 μ-law, the telephone network's 8-bit audio: the codec of Twilio Media Streams and
 * Telnyx PCMU. Both directions are table lookups (the encoder table covers every Int16 value),
 * so a 20 ms frame costs 160 array reads.
 */

const BIAS = 0x84;
const CLIP = 32_635;

/** μ-law byte → linear sample (the 256 values G.711 defines). */
const DECODE = new Int16Array(256);
for (let byte = 0; byte < 256; byte++) {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  DECODE[byte] = u & 0x80 ? -magnitude : magnitude;
}

/** Linear sample (offset by 32768) → μ-law byte. */
const ENCODE = new Uint8Array(65_536);
for (let i = 0; i < 65_536; i++) ENCODE[i] = encodeSample(i - 32_768);

function encodeSample(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(CLIP, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** μ-law bytes → Int16 PCM, one sample per byte. */
export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE[bytes[i]!]!;
  return out;
}

/** Int16 PCM → μ-law bytes, one byte per sample. */
export function encodeMulaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = ENCODE[samples[i]! + 32_768]!;
  return out;
}

/** The μ-law byte of silence (linear 0). */
export const MULAW_SILENCE = 0xff;
