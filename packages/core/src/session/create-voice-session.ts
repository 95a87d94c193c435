import { resolveVoiceSessionConfig, type VoiceSessionConfig } from './config';
import type { VoiceSession } from './voice-session';
import { VoiceSessionImpl } from './voice-session-impl';

/**
 * Starts a voice conversation: the one entry point of the core.
 *
 * The config is validated first (a {@link ConfigError} lists every problem). The session starts
 * listening at once; recognition opens with the first audio frame.
 *
 * @example
 * ```ts
 * const session = createVoiceSession({ stt, llm, tts, instructions: 'You are a concise helper.' });
 * session.audio$.subscribe((chunk) => speaker.play(chunk));       // agent audio, data lane
 * session.controls$.subscribe((control) => speaker.control(control)); // pause/resume/interrupt
 * session.on('transcript', ({ transcript }) => console.log(transcript.text));
 * microphone.on('frame', (samples) => session.pushAudio({ samples, sampleRate: 16000 }));
 * ```
 */
export function createVoiceSession(config: VoiceSessionConfig): VoiceSession {
  return new VoiceSessionImpl(resolveVoiceSessionConfig(config));
}
