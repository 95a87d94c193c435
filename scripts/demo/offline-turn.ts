import type { SpeechAudio, TurnMetrics } from '@voxduplex/core';
import type { LocalStackOptions } from '@voxduplex/local';
import { concatSamples, decodeWav, encodeWav, toMono16k, voicedSpan } from '@voxduplex/offline-e2e';
import type { ConversationLine } from './fake-conversation';
import { nextEvent, openOfflineSession } from './offline-session';

/** How long to wait for a transcript after the input audio ended. */
const RECOGNITION_GRACE_MS = 10_000;
/** Silence before the question, as a microphone opened just before the user speaks. */
const LEAD_IN_MS = 300;

/** What one spoken turn on the local engines produced. */
export interface WavTurnResult {
  /** What the recognizer heard. */
  readonly question: string;
  /** What the agent said. */
  readonly replyText: string;
  /** The agent's reply audio, mono Int16 at `sampleRate`. */
  readonly reply: Int16Array;
  readonly sampleRate: number;
  /** The reply as a 16-bit PCM WAV file. */
  readonly replyWav: Uint8Array;
  readonly metrics: TurnMetrics;
}

/** Options of {@link runWavTurn}. */
export interface WavTurnOptions {
  readonly stack?: LocalStackOptions;
  readonly onLine?: (line: ConversationLine) => void;
}

/**
 * Runs one turn of the local voice agent on a recorded question: the WAV (any rate, channels,
 * PCM or float encoding) is converted to 16 kHz mono and fed through the session in real time,
 * as from a microphone; the agent's reply is played by a simulated listener in real time and
 * returned with the turn's latency breakdown.
 *
 * @throws `AudioFormatError` for a file it cannot read, `SystemDependencyError` when PocketSphinx
 * is not installed, an `Error` when the file holds no recognizable speech.
 */
export async function runWavTurn(wav: Uint8Array, options: WavTurnOptions = {}): Promise<WavTurnResult> {
  const question = toMono16k(decodeWav(wav));
  if (!voicedSpan(question)) throw new Error('The input WAV is silent: no speech to answer.');
  const offline = await openOfflineSession({ ...options, isEveryErrorFatal: true });
  try {
    const audio: SpeechAudio[] = [];
    offline.session.audio$.subscribe((chunk) => audio.push(chunk));
    const turnP = nextEvent(offline, 'user-turn');
    await Promise.race([
      offline.microphone.say(concatSamples([new Int16Array((16 * LEAD_IN_MS) | 0), question])),
      offline.failure,
    ]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const turn = await Promise.race([
      turnP,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('No speech was recognized in the input WAV.')),
          RECOGNITION_GRACE_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const metricsP = nextEvent(offline, 'metrics', (e) => e.metrics.turnId === turn.turnId);
    const end = await nextEvent(offline, 'speech-end', (e) => e.turnId === turn.turnId);
    const { metrics } = await metricsP;
    const spoken = audio.filter((chunk) => chunk.speechId === end.speechId).sort((a, b) => a.seq - b.seq);
    const sampleRate = spoken[0]?.sampleRate ?? 16000;
    const reply = concatSamples(spoken.map((chunk) => chunk.samples));
    return {
      question: turn.text,
      replyText: end.text,
      reply,
      sampleRate,
      replyWav: encodeWav(reply, sampleRate),
      metrics,
    };
  } finally {
    await offline.close('turn finished');
  }
}
