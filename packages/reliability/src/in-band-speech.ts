/**
 * Speech written *into* the microphone audio: a test client sends a frame whose samples spell a
 * recognizer event, and {@link InBandStt} "hears" it. Every session gets exactly the speech its
 * client chose, through the real transport, whatever the number of sessions.
 *
 * Frame layout (Int16): `[SPEECH_MARKER, opcode, text length, ...UTF-16 code units]`, padded with
 * silence to the frame length. Frames without the marker are plain audio.
 */
export type InBandCommand =
  | { readonly type: 'speech-start' }
  | { readonly type: 'interim'; readonly text: string }
  | { readonly type: 'final'; readonly text: string }
  | { readonly type: 'speech-end' }
  /** The recognition stream that reads this frame fails (a provider error). */
  | { readonly type: 'fail-stream' }
  /** The recognition stream that reads this frame ends cleanly (a provider rotating it). */
  | { readonly type: 'end-stream' };

/** First sample of a command frame. */
export const SPEECH_MARKER = 0x5a17;

const OPCODES = ['speech-start', 'interim', 'final', 'speech-end', 'fail-stream', 'end-stream'] as const;

/** One 20 ms frame (at `sampleRate`) carrying `command`. Text longer than the frame is cut. */
export function inBandFrame(command: InBandCommand, sampleRate = 16_000): Int16Array {
  const samples = new Int16Array(Math.round(sampleRate / 50));
  samples[0] = SPEECH_MARKER;
  samples[1] = OPCODES.indexOf(command.type);
  const text = 'text' in command ? command.text.slice(0, samples.length - 3) : '';
  samples[2] = text.length;
  for (let i = 0; i < text.length; i++) samples[3 + i] = text.charCodeAt(i) & 0x7fff;
  return samples;
}

/** The command a frame carries, or undefined for plain audio. */
export function readInBand(samples: Int16Array): InBandCommand | undefined {
  if (samples.length < 3 || samples[0] !== SPEECH_MARKER) return undefined;
  const type = OPCODES[samples[1]!];
  if (type === undefined) return undefined;
  if (type !== 'interim' && type !== 'final') return { type };
  const length = Math.min(samples[2]!, samples.length - 3);
  return { type, text: String.fromCharCode(...samples.subarray(3, 3 + length)) };
}

/**
 * The frames of one spoken utterance: start, an interim per word, end, final — each word voiced
 * for `msPerWord` (its 20 ms interim, then one frame of plain audio for the rest), as a person
 * speaks. The length matters: a session takes an utterance voiced for less than its backchannel
 * window (600 ms) over the agent's speech for a backchannel, and resumes the speech instead of
 * taking a turn. One long frame per word keeps the message count (and the transport's rate
 * limit) as it was; `msPerWord` up to 300 stays within its 100 ms-at-48 kHz frame size.
 */
export function utteranceFrames(text: string, sampleRate = 16_000, msPerWord = 300): Int16Array[] {
  const words = text.trim().split(/\s+/);
  const restOfWord = new Int16Array(Math.round((Math.max(0, msPerWord - 20) / 1000) * sampleRate));
  return [
    inBandFrame({ type: 'speech-start' }, sampleRate),
    ...words.flatMap((_, i) => [
      inBandFrame({ type: 'interim', text: words.slice(0, i + 1).join(' ') }, sampleRate),
      ...(restOfWord.length > 0 ? [restOfWord] : []),
    ]),
    inBandFrame({ type: 'speech-end' }, sampleRate),
    inBandFrame({ type: 'final', text: words.join(' ') }, sampleRate),
  ];
}
