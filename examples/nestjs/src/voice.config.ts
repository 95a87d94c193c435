import { registerAs } from '@nestjs/config';

/**
 * Provider choice through Nest config: `VOX_STT`, `VOX_TTS`, `VOX_LLM` and `VOX_VAD` name providers
 * registered in `voice-providers.ts` (default the offline stack). Read with
 * `config.get<VoiceConfig>('voice')`.
 */
export const voiceConfig = registerAs('voice', () => ({
  stt: process.env.VOX_STT ?? 'pocketsphinx',
  tts: process.env.VOX_TTS ?? 'flite',
  llm: process.env.VOX_LLM ?? 'demo',
  vad: process.env.VOX_VAD ?? 'silero',
  instructions: process.env.VOX_INSTRUCTIONS ?? 'You are a friendly voice assistant. Answer briefly.',
}));

export type VoiceConfig = ReturnType<typeof voiceConfig>;
