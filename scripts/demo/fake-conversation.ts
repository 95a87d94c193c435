import { createVoiceSession, type SessionEvent, type TurnMetrics } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts, silence } from '@voxduplex/core/testing';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { SimulatedPlayer } from './simulated-player';

/** What the scripted user says, on the microphone's timeline (ms). */
export const SCRIPT = [
  { text: 'what is the weather like today', startMs: 600 },
  { text: 'tell me a story', startMs: 9500 },
  { text: 'okay stop that is enough thanks', startMs: 15_000 },
];
const SCRIPT_END_MS = 22_000;

const STORY =
  'Once upon a time, a lighthouse keeper named Ada lived on a rocky island. Every night she climbed ' +
  'one hundred and twelve steps to light the lamp. One stormy evening a small boat drifted toward the ' +
  'rocks, and Ada rang the great bell until the sailors found the harbour. In the morning they brought ' +
  'her fresh bread, and from then on the village never forgot the keeper of the light.';

function replyTo(question: string): string {
  if (/stop|enough/.test(question)) return 'Of course. Let me know if you need anything else.';
  if (/story/.test(question)) return STORY;
  if (/weather/.test(question))
    return 'It is mild and sunny today, around twenty degrees, with a light breeze in the afternoon.';
  return 'I can tell you about the weather or tell you a story.';
}

export interface ConversationLine {
  readonly atMs: number;
  readonly text: string;
}

export interface ConversationResult {
  readonly lines: ConversationLine[];
  readonly turns: { label: string; metrics: TurnMetrics }[];
  readonly events: SessionEvent[];
}

/**
 * The terminal demo's conversation: a scripted user asks about the weather, asks for a story,
 * and barges in halfway through it. Runs on the core's fakes (with human-like latencies: LLM
 * first token 300 ms at 40 tokens/s, TTS first byte 150 ms) in real time by default, or in
 * virtual time when given a scheduler (the test does that).
 */
export function runFakeConversation(
  options: { scheduler?: SchedulerLike; onLine?: (line: ConversationLine) => void } = {},
): Promise<ConversationResult> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const started = scheduler.now();
  const stt = new FakeStt({ utterances: SCRIPT, msPerWord: 320, finalDelayMs: 120, scheduler });
  const llm = new FakeLlm({
    ttftMs: 300,
    tokensPerSecond: 40,
    scheduler,
    reply: (request) => replyTo(String(request.messages.at(-1)?.content ?? '')),
  });
  const tts = new FakeTts({ ttfbMs: 150, msPerChar: 55, chunkMs: 100, realtimeFactor: 0.2, scheduler });
  const session = createVoiceSession({
    stt,
    llm,
    tts,
    scheduler,
    instructions: 'You are a friendly voice assistant.',
  });
  const player = new SimulatedPlayer(session, scheduler);

  const lines: ConversationLine[] = [];
  const say = (text: string) => {
    const line = { atMs: scheduler.now() - started, text };
    lines.push(line);
    options.onLine?.(line);
  };
  const events: SessionEvent[] = [];
  const turns: { label: string; metrics: TurnMetrics }[] = [];
  const questions = new Map<string, string>();
  session.events$.subscribe((event) => {
    events.push(event);
    switch (event.type) {
      case 'state':
        if (event.state.phase !== event.previous.phase)
          say(`state    ${event.previous.phase} → ${event.state.phase}`);
        return;
      case 'transcript':
        if (event.transcript.isFinal) say(`user     "${event.transcript.text}"`);
        return;
      case 'user-turn':
        questions.set(event.turnId, event.text);
        return;
      case 'control':
        say(`control  ${event.control.type}${'source' in event.control ? ` (${event.control.source})` : ''}`);
        return;
      case 'speech-end':
        say(`agent    heard: "${event.heardText}"${event.interrupted ? '  [interrupted]' : ''}`);
        return;
      case 'metrics':
        turns.push({
          label: questions.get(event.metrics.turnId) ?? event.metrics.turnId,
          metrics: event.metrics,
        });
        return;
      case 'error':
        say(`error    ${event.error.code}: ${event.error.message}`);
        return;
    }
  });

  return new Promise((resolve) => {
    for (let at = 0; at < SCRIPT_END_MS; at += 20) {
      scheduler.schedule(
        () => session.pushAudio({ samples: silence(20, 16000), sampleRate: 16000, startMs: at }),
        at,
      );
    }
    scheduler.schedule(() => {
      player.stop();
      session.close('demo finished');
      resolve({ lines, turns, events });
    }, SCRIPT_END_MS + 500);
  });
}
