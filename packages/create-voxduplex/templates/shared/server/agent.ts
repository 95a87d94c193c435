import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { createLocalStack } from '@voxduplex/local';

/** What the agent is told before every reply. */
const INSTRUCTIONS = 'You are a friendly voice assistant. Answer in one to three short spoken sentences.';

/** The voice agent: one set of speech engines, a new conversation per connected browser. */
export interface Agent {
  /** A new conversation (its own history and turn state) on the shared engines. */
  createSession(): VoiceSession;
  /** Stops the speech synthesizer's worker threads; close the sessions first. */
  close(): Promise<void>;
}

/**
 * The offline engines, built once: PocketSphinx hears (its turns cut by Silero VAD), the demo
 * brain answers, Flite speaks. No network, no key. `local.sessionConfig` also holds the settings
 * that make it answer fast: the turn ends on the VAD, and the reply starts at a 120 ms pause, held
 * back until the turn is confirmed. To use OpenAI, Google or Azure, see the README.
 */
export function createAgent(): Agent {
  const local = createLocalStack();
  // Start the speech synthesizer now, so the first reply does not wait for it.
  local.warmUp().catch((error: unknown) => console.error('Flite did not start:', error));
  return {
    createSession: () =>
      createVoiceSession({
        ...local.sessionConfig,
        instructions: INSTRUCTIONS,
      }),
    close: () => local.close(),
  };
}
