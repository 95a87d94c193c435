import { decodeMulaw, encodeMulaw, MULAW_SILENCE } from './mulaw';

/**
 * How a carrier's media payloads carry audio: G.711 μ-law (one byte a sample: Twilio, Telnyx
 * PCMU) or L16 (16-bit linear, big-endian as RTP sends it: Telnyx L16).
 */
export type PhoneEncoding = 'mulaw' | 'l16';

/** The audio of one media stream, both ways: its encoding and rate (mono). */
export interface PhoneAudioFormat {
  readonly encoding: PhoneEncoding;
  /** Samples per second, e.g. 8000 for μ-law, 16 000 for wideband L16. */
  readonly sampleRate: number;
}

/** μ-law 8 kHz: the telephone network's format, the only one Twilio streams. */
export const PCMU_8K: PhoneAudioFormat = { encoding: 'mulaw', sampleRate: 8000 };

/** Bytes one sample takes on the wire. */
export function bytesPerSample(format: PhoneAudioFormat): number {
  return format.encoding === 'mulaw' ? 1 : 2;
}

/** Milliseconds of audio in a payload of `bytes` bytes. */
export function payloadMs(format: PhoneAudioFormat, bytes: number): number {
  return (Math.floor(bytes / bytesPerSample(format)) / format.sampleRate) * 1000;
}

/** A payload → Int16 PCM at the format's rate. An odd trailing byte of L16 is ignored. */
export function decodePayload(format: PhoneAudioFormat, payload: Uint8Array): Int16Array {
  if (format.encoding === 'mulaw') return decodeMulaw(payload);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const out = new Int16Array(payload.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, false);
  return out;
}

/** Int16 PCM at the format's rate → a payload. */
export function encodePayload(format: PhoneAudioFormat, samples: Int16Array): Uint8Array {
  if (format.encoding === 'mulaw') return encodeMulaw(samples);
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, false);
  return out;
}

/** A payload of `samples` samples of silence. */
export function silencePayload(format: PhoneAudioFormat, samples: number): Uint8Array {
  return format.encoding === 'mulaw'
    ? new Uint8Array(samples).fill(MULAW_SILENCE)
    : new Uint8Array(samples * 2);
}

/** Samples in one 20 ms frame of the format. */
export function frameSamples(format: PhoneAudioFormat): number {
  return Math.round(format.sampleRate / 50);
}
