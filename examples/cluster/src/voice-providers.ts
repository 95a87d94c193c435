import { createVoiceSession, type LlmRequest, type VoiceSession } from '@voxduplex/core';
import type { RestoredSession } from '@voxduplex/transport-socketio';
import type { ClusterConfig } from './cluster-config';

/** The providers one worker builds once and shares between its sessions. */
export interface VoiceProviders {
  /** What the worker runs, for logs and `/health`, e.g. `STT local, TTS local, LLM demo`. */
  readonly description: string;
  /** The built React app to serve at `/`, when there is one. */
  readonly staticDir: string | undefined;
  /** A new session, or — `restored` — one another worker held, with its id and history. */
  createSession(socketId: string, restored?: RestoredSession): VoiceSession;
  /** Provider streams open right now (recognitions, generations, syntheses); fakes only. */
  openStreams(): number | undefined;
  close(): Promise<void>;
}

const INSTRUCTIONS = 'You are a friendly voice assistant. Answer in one to three short spoken sentences.';

/**
 * The Express example's provider choice (`VOX_STT`, `VOX_TTS`, `VOX_LLM`: offline by default),
 * or with `VOX_FAKES=1` the core's fake providers. Each worker calls this once: the offline
 * engines load their models per process.
 */
export async function createVoiceProviders(config: ClusterConfig): Promise<VoiceProviders> {
  return config.fakeProviders ? createFakeProviders() : createChosenProviders(config);
}

/**
 * Throws the Express example's {@link ConfigError} when the provider variables are wrong, without
 * building anything: the primary checks once before forking, so a bad key does not crash-loop.
 */
export async function checkProviderChoice(config: ClusterConfig): Promise<void> {
  if (config.fakeProviders) return;
  const { readConfig } = await import('@voxduplex/example-express/src/config');
  readConfig(config.env);
}

// Loaded only when used: the fakes need none of the engines or cloud SDKs.
async function createChosenProviders(config: ClusterConfig): Promise<VoiceProviders> {
  const { readConfig } = await import('@voxduplex/example-express/src/config');
  const { buildProviders } = await import('@voxduplex/example-express/src/build-providers');
  const chosen = readConfig(config.env);
  // Lists (`VOX_LLM=openai,demo`) are fallback chains, as in the Express example.
  const providers = buildProviders(chosen);
  return {
    description: `STT ${chosen.stt.name}, TTS ${chosen.tts.name}, LLM ${chosen.llm.name}`,
    staticDir: chosen.staticDir,
    createSession: (socketId, restored) =>
      createVoiceSession({
        ...providers.sessionConfig(restored?.sessionId ?? socketId),
        ...restored?.config,
      }),
    openStreams: () => undefined,
    close: async () => {
      await Promise.all([providers.stt.close?.(), providers.tts.close?.()]);
    },
  };
}

async function createFakeProviders(): Promise<VoiceProviders> {
  const { FakeLlm, FakeStt, FakeTts } = await import('@voxduplex/core/testing');
  const stt = new FakeStt();
  // The answer names the process, so a client (or a test) sees which worker served the turn,
  // and the earlier turns it was given, so it shows which history a resumed session carried.
  const llm = new FakeLlm({ reply: (request) => `Process ${process.pid} heard: ${userTexts(request)}` });
  const tts = new FakeTts();
  return {
    description: 'fake providers (VOX_FAKES=1: no speech recognition, scripted answers, tones)',
    staticDir: undefined,
    createSession: (_socketId, restored) =>
      createVoiceSession({
        stt,
        llm,
        tts,
        instructions: INSTRUCTIONS,
        turnDetection: { minEndpointDelayMs: 0 },
        ...restored?.config,
      }),
    openStreams: () => stt.streams.open + llm.streams.open + tts.streams.open,
    close: async () => {},
  };
}

/** `What now?` for a first turn; `What now? (after: Hello. / I am Ada.)` later in a conversation. */
function userTexts(request: LlmRequest): string {
  const said = request.messages.filter((message) => message.role === 'user').map((m) => m.content);
  const last = said.pop() ?? '';
  return said.length === 0 ? last : `${last} (after: ${said.join(' / ')})`;
}
