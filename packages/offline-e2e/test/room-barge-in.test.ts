import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import { liveDecoderCount } from '@voxduplex/stt-pocketsphinx';
import { liveSessionCount } from '@voxduplex/vad-silero';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventLog, ListeningRoom, listenQuietly, overAgentSpeech, sayOver, speakAsUser } from '../src/index';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

/**
 * The agent's voice comes back into the microphone at −12 dB, 80 ms late and band-limited, as
 * from a laptop's speakers with no echo cancellation: it must neither pause nor interrupt the
 * agent, and the user talking over it must still cut the agent off.
 */
describe('barge-in with the agent’s echo in the room (local engines, real time)', () => {
  let stack: LocalStack;
  let session: VoiceSession;
  let room: ListeningRoom;
  let log: EventLog;
  let request: Int16Array;
  let interruption: Int16Array;

  beforeAll(async () => {
    [request, interruption] = (await speakAsUser(
      ['please tell me a story', 'wait what time is it'],
      'rms',
    )) as [Int16Array, Int16Array];
    stack = createLocalStack();
    await stack.warmUp();
    session = createVoiceSession({ ...stack.sessionConfig });
    log = new EventLog(session);
    room = new ListeningRoom(session, { echo: { gainDb: -12, delayMs: 80 } });
    room.start();
  });

  afterAll(async () => {
    room?.stop();
    log?.stop();
    session?.close('test over');
    await stack?.close();
  });

  it('lets the story play on with its echo in the microphone', async () => {
    const quiet = await overAgentSpeech(room, log, request, (speechId) => listenQuietly(log, speechId, 6000));
    expect(quiet).toMatchObject({ pauses: 0, interrupts: 0 });
    // Nothing the recognizer heard became a turn while the agent spoke.
    const turns = log.events.flatMap(({ event }) => (event.type === 'user-turn' ? [event.text] : []));
    expect(turns).toHaveLength(1);
  });

  it('still stops the story when the user talks over the echo, keeping what was heard', async () => {
    const outcome = await overAgentSpeech(room, log, request, async (speechId) => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      return sayOver(room, log, speechId, {
        kind: 'interruption',
        text: 'wait what time is it',
        voice: 'rms',
        samples: interruption,
      });
    });
    expect(outcome?.wasInterrupted).toBe(true);
    expect(outcome?.wasAnswered).toBe(true);
    // The story in the history is the part played before the user cut in, marked interrupted.
    const story = session.history
      .filter((m) => m.role === 'assistant' && m.content.startsWith('Once upon a time'))
      .at(-1);
    expect(story && 'interrupted' in story && story.interrupted).toBe(true);
    expect(story?.content.length).toBeLessThan(400);
  });

  it('leaves no decoder or VAD session behind', async () => {
    room.stop();
    session.close('test over');
    await vi.waitFor(() => expect(liveDecoderCount()).toBe(0), { timeout: 20_000 });
    expect(liveSessionCount()).toBe(0);
  });
});
