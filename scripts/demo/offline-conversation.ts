import { speakAsUser, type UserVoice } from '@voxduplex/offline-e2e';
import type { ConversationLine, ConversationResult } from './fake-conversation';
import { nextEvent, type OfflineSession, openOfflineSession } from './offline-session';

/** What the scripted user says, in order; the third line cuts into the story. */
export const OFFLINE_SCRIPT = {
  greeting: 'hello there',
  storyRequest: 'please tell me a story',
  interruption: 'what time is it',
} as const;

/** How much of the story the user listens to before talking over it. */
const LISTEN_TO_STORY_MS = 4000;
/** Longest wait for any one step; the recognizer may miss a question on a very busy machine. */
const STEP_TIMEOUT_MS = 90_000;

/** Options of {@link runOfflineConversation}. */
export interface OfflineConversationOptions {
  /** The user's Flite voice; the agent speaks with `slt`. Default `rms`. */
  readonly voice?: UserVoice;
  readonly onLine?: (line: ConversationLine) => void;
}

/**
 * The offline demo: a scripted user, spoken by a Flite voice unlike the agent's, greets the agent,
 * asks for a story and talks over it a few seconds in with a new question. Everything runs on this
 * machine in real time — PocketSphinx (+ Silero VAD) hears the user, the demo brain answers, Flite
 * speaks, a simulated player plays the reply and acks it. Takes about 30 s.
 */
export async function runOfflineConversation(
  options: OfflineConversationOptions = {},
): Promise<Omit<ConversationResult, 'lines'>> {
  const voice = options.voice ?? 'rms';
  const [greeting, storyRequest, interruption] = (await speakAsUser(
    [OFFLINE_SCRIPT.greeting, OFFLINE_SCRIPT.storyRequest, OFFLINE_SCRIPT.interruption],
    voice,
  )) as [Int16Array, Int16Array, Int16Array];
  const offline = await openOfflineSession(options.onLine ? { onLine: options.onLine } : {});
  const say = (text: string) => offline.note(text);
  const step = <T>(promise: Promise<T>, what: string) => withTimeout(promise, STEP_TIMEOUT_MS, what);
  try {
    say(`mic      the user (Flite ${voice}) says "${OFFLINE_SCRIPT.greeting}"`);
    const greeted = nextEvent(offline, 'speech-end');
    void offline.microphone.say(greeting);
    await step(greeted, 'the answer to the greeting');
    await step(agentListening(offline), 'the agent to listen again');

    say(`mic      the user says "${OFFLINE_SCRIPT.storyRequest}"`);
    const storyAudio = nextEvent(offline, 'audio');
    void offline.microphone.say(storyRequest);
    const storyId = (await step(storyAudio, 'the story')).audio.speechId;
    await new Promise((resolve) => setTimeout(resolve, LISTEN_TO_STORY_MS));

    say(`mic      the user talks over the story: "${OFFLINE_SCRIPT.interruption}"`);
    const answered = nextEvent(offline, 'speech-end', (e) => e.speechId !== storyId);
    void offline.microphone.say(interruption);
    await step(answered, 'the answer to the interruption');
    await step(agentListening(offline), 'the agent to listen again');
    return { turns: offline.turns, events: offline.events };
  } finally {
    await offline.close('demo finished');
  }
}

async function agentListening(offline: OfflineSession): Promise<void> {
  if (offline.session.state.agent !== 'listening')
    await nextEvent(offline, 'state', (e) => e.state.agent === 'listening');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Gave up waiting ${ms / 1000} s for ${what}.`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
