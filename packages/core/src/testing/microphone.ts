import type { AudioFrame } from '../frames/audio';
import { silence } from './tone';

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
