import type { SchedulerLike } from 'rxjs';
import type { AudioFrame } from '../frames/audio';
import type { VoiceSession } from '../session/voice-session';
import { silence } from './tone';

const FRAME_MS = 20;
const MIC_RATE = 16000;

export interface MicrophoneFramesOptions {
  readonly frameMs?: number;
  readonly sampleRate?: number;
  readonly startMs?: number;
}

/** Consecutive silent frames covering `durationMs` of the audio timeline (what a muted mic sends). */
export function microphoneFrames(durationMs: number, options: MicrophoneFramesOptions = {}): AudioFrame[] {
  const frameMs = options.frameMs ?? 20;
  const sampleRate = options.sampleRate ?? 16000;
  const startMs = options.startMs ?? 0;
  const frames: AudioFrame[] = [];
  for (let at = 0; at < durationMs; at += frameMs) {
    frames.push({ samples: silence(frameMs, sampleRate), sampleRate, channels: 1, startMs: startMs + at });
  }
  return frames;
}

/** Options of {@link streamMicrophone}. */
export interface StreamMicrophoneOptions {
  /** How long the microphone streams, ms of audio. */
  readonly durationMs: number;
  /** The 16 kHz mono samples of the 20 ms frame starting at `startMs`. Default silence. */
  readonly samples?: (startMs: number) => Int16Array;
}

/**
 * Pushes 20 ms, 16 kHz mono frames into `session` on `scheduler`, each at the virtual time its
 * last sample was captured (the frame starting at 0 ms arrives at 20 ms), as a real microphone
 * delivers them.
 */
export function streamMicrophone(
  session: Pick<VoiceSession, 'pushAudio'>,
  scheduler: SchedulerLike,
  { durationMs, samples = () => silence(FRAME_MS, MIC_RATE) }: StreamMicrophoneOptions,
): void {
  // Each frame schedules the next: the virtual scheduler sorts its queue on every schedule, so a
  // call queued up front costs more per minute the longer it is (5 min of call took 1.7 s to run
  // that way; 30 min take 0.6 s this way).
  const frameAt = (startMs: number) => {
    if (startMs >= durationMs) return;
    scheduler.schedule(
      () => {
        session.pushAudio({ samples: samples(startMs), sampleRate: MIC_RATE, channels: 1, startMs });
        frameAt(startMs + FRAME_MS);
      },
      startMs + FRAME_MS - scheduler.now(),
    );
  };
  frameAt(0);
}
