import { existsSync } from 'node:fs';
import { ProviderRegistry, type ProviderSelection, type VadProvider } from '@voxduplex/core';
import { demoBrainFactory } from '@voxduplex/demo-brain';
import { openAiLlmFactory } from '@voxduplex/llm-openai';
import { socketIoLlmFactory } from '@voxduplex/llm-socketio';
import { azureSttFactory } from '@voxduplex/stt-azure';
import { googleSttFactory } from '@voxduplex/stt-google';
import { pocketsphinxSttFactory } from '@voxduplex/stt-pocketsphinx';
import { azureTtsFactory } from '@voxduplex/tts-azure';
import { fliteTtsFactory } from '@voxduplex/tts-flite';
import { googleTtsFactory } from '@voxduplex/tts-google';
import { sileroVadFactory } from '@voxduplex/vad-silero';

/** The environment as the example reads it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What a per-session selection may depend on besides the environment. */
export interface SelectionContext {
  readonly env: Environment;
  /** The shared voice activity detector (Silero), for recognizers that can use it. */
  readonly vad: VadProvider;
  /** The session's id, for providers that pass it along (the AI-service socket). */
  readonly sessionId?: string;
}

/**
 * One choice a user can make by name (`VOX_STT=azure`): which environment variables it needs
 * (any of each group; checked at start-up), and the registry selection it turns into.
 */
export interface ProviderChoice {
  readonly description: string;
  /** Each inner list is satisfied by any one of its variables. */
  readonly requires: readonly (readonly string[])[];
  /** Further start-up checks of the variables it reads; returns the problems found. */
  readonly check?: (env: Environment) => string[];
  readonly selection: (context: SelectionContext) => ProviderSelection;
}

/** The one place that knows every adapter: all factories, registered by name. */
export function createProviderRegistry(): ProviderRegistry {
  return new ProviderRegistry()
    .register('vad', 'silero', sileroVadFactory)
    .register('stt', 'pocketsphinx', pocketsphinxSttFactory)
    .register('stt', 'google', googleSttFactory)
    .register('stt', 'azure', azureSttFactory)
    .register('tts', 'flite', fliteTtsFactory)
    .register('tts', 'google', googleTtsFactory)
    .register('tts', 'azure', azureTtsFactory)
    .register('llm', 'demo', demoBrainFactory)
    .register('llm', 'openai', openAiLlmFactory)
    .register('llm', 'socketio', socketIoLlmFactory);
}

const language = (env: Environment) => env.VOX_LANGUAGE ?? 'en-US';
const googleKeyFileExists = (env: Environment) => {
  const path = env.GOOGLE_APPLICATION_CREDENTIALS;
  return path && !existsSync(path)
    ? [`GOOGLE_APPLICATION_CREDENTIALS points at ${path}, which does not exist`]
    : [];
};
const defined = (entries: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''));

/** `VOX_STT`: speech-to-text. */
export const STT_CHOICES: Readonly<Record<string, ProviderChoice>> = {
  local: {
    description: 'PocketSphinx (offline), utterances cut by Silero VAD',
    requires: [],
    selection: ({ vad }) => ({ provider: 'pocketsphinx', vad }),
  },
  google: {
    description: 'Google Cloud Speech-to-Text',
    requires: [['GOOGLE_APPLICATION_CREDENTIALS']],
    check: googleKeyFileExists,
    selection: ({ env }) => ({
      provider: 'google',
      ...defined({ keyFilename: env.GOOGLE_APPLICATION_CREDENTIALS, language: language(env) }),
    }),
  },
  azure: {
    description: 'Azure AI Speech recognition',
    requires: [['AZURE_SPEECH_KEY'], ['AZURE_SPEECH_REGION']],
    selection: ({ env }) => ({
      provider: 'azure',
      key: env.AZURE_SPEECH_KEY,
      region: env.AZURE_SPEECH_REGION,
      language: language(env),
    }),
  },
};

/** `VOX_TTS`: text-to-speech. */
export const TTS_CHOICES: Readonly<Record<string, ProviderChoice>> = {
  local: {
    description: 'Flite (offline, WebAssembly)',
    requires: [],
    selection: ({ env }) => ({ provider: 'flite', ...defined({ voice: env.VOX_FLITE_VOICE }) }),
  },
  google: {
    description: 'Google Cloud Text-to-Speech',
    requires: [['GOOGLE_APPLICATION_CREDENTIALS']],
    check: googleKeyFileExists,
    selection: ({ env }) => ({
      provider: 'google',
      ...defined({ keyFilename: env.GOOGLE_APPLICATION_CREDENTIALS, voice: env.VOX_TTS_VOICE }),
      language: language(env),
    }),
  },
  azure: {
    description: 'Azure AI Speech synthesis',
    requires: [['AZURE_SPEECH_KEY'], ['AZURE_SPEECH_REGION']],
    selection: ({ env }) => ({
      provider: 'azure',
      key: env.AZURE_SPEECH_KEY,
      region: env.AZURE_SPEECH_REGION,
      ...defined({ voice: env.VOX_TTS_VOICE }),
    }),
  },
};

/** `VOX_LLM`: who writes the answers. */
export const LLM_CHOICES: Readonly<Record<string, ProviderChoice>> = {
  demo: {
    description: 'the demo brain (a few canned intents, offline, not a language model)',
    requires: [],
    selection: () => ({ provider: 'demo' }),
  },
  openai: {
    description: 'an OpenAI-compatible Chat Completions endpoint',
    // A local server (Ollama, vLLM…) needs only its base URL.
    requires: [['OPENAI_API_KEY', 'OPENAI_BASE_URL']],
    selection: ({ env }) => ({
      provider: 'openai',
      model: env.OPENAI_MODEL ?? 'gpt-4o-mini',
      ...defined({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }),
    }),
  },
  'ai-service': {
    description: 'an internal AI service over Socket.IO',
    requires: [['AI_CHAT_BASE_URL']],
    selection: ({ env, sessionId }) => ({
      provider: 'socketio',
      url: env.AI_CHAT_BASE_URL,
      ...defined({ sessionId }),
      ...(env.AI_SERVICE_TOKEN ? { auth: { token: env.AI_SERVICE_TOKEN } } : {}),
    }),
  },
};
