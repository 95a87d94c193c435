import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { readCompactAudio } from '../protocol/compact-audio';

const utf8 = new TextDecoder();

/**
 * Socket.IO's own decoder plus one thing: a binary message that arrives outside a binary event
 * and is a compact audio message (see `encodeCompactAudio`) is decoded as that namespace's
 * `audio` event, so it meets the same middleware, validation and limits as an `audio` event. The
 * stock decoder rejects any such message (and Socket.IO then closes the connection), so every
 * client that works with the stock parser works unchanged with this one.
 */
export class VoiceDecoder extends Decoder {
  // The last namespace seen, kept so a steady stream of frames decodes its name once.
  #namespaceBytes = new Uint8Array(0);
  #namespace = '';

  override add(message: unknown): void {
    if (message instanceof Uint8Array && !isReconstructing(this)) {
      const compact = readCompactAudio(message);
      // The stock decoder's own words for a stray binary message: Socket.IO closes the connection.
      if (!compact) throw new Error('got binary data when not reconstructing a packet');
      this.emitReserved('decoded', {
        type: PacketType.EVENT,
        nsp: this.#namespaceOf(compact.namespace),
        data: ['audio', compact.frame],
      });
      return;
    }
    super.add(message);
  }

  #namespaceOf(bytes: Uint8Array): string {
    if (!sameBytes(bytes, this.#namespaceBytes)) {
      this.#namespace = utf8.decode(bytes);
      this.#namespaceBytes = bytes.slice();
    }
    return this.#namespace;
  }
}

/**
 * Whether the decoder waits for the attachments of a binary event. `reconstructor` is private
 * in socket.io-parser's typings (pinned to ~4.2); the transport's loopback tests send binary
 * events through this decoder, so a rename would fail them rather than go unnoticed.
 */
function isReconstructing(decoder: Decoder): boolean {
  return (decoder as unknown as { reconstructor: unknown }).reconstructor != null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The Socket.IO parser a voice server uses (`voiceServerOptions()` sets it): stock encoding, and
 * the {@link VoiceDecoder}. `attachVoiceAgent` tells clients `compactAudio: true` in `ready`
 * only when its server was built with it.
 */
export const voiceParser = { Encoder, Decoder: VoiceDecoder, acceptsCompactAudio: true } as const;

/** Whether a Socket.IO server was built with {@link voiceParser} (any copy of this package). */
export function acceptsCompactAudio(parser: unknown): boolean {
  return (parser as { acceptsCompactAudio?: unknown } | undefined)?.acceptsCompactAudio === true;
}
