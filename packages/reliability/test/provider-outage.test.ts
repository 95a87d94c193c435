import { afterEach, describe, expect, it } from 'vitest';
import { type ReliabilityServer, SimulatedUser, startReliabilityServer, totalOpen } from '../src/index';

let server: ReliabilityServer | undefined;
let users: SimulatedUser[] = [];

afterEach(async () => {
  for (const user of users) user.close();
  users = [];
  await server?.close();
  server = undefined;
});

async function connect(options: Parameters<typeof startReliabilityServer>[0] = {}) {
  server = await startReliabilityServer(options);
  const user = new SimulatedUser(server.url, { user: 'ada' });
  users.push(user);
  await user.ready();
  return { server, user };
}

/** Closes the user and waits until the server holds nothing for it. */
async function leaveAndCheck(s: ReliabilityServer, user: SimulatedUser) {
  user.close();
  const deadline = Date.now() + 5000;
  while (totalOpen(s.openHandles()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(s.openHandles()).toMatchObject({ sttStreams: 0, llmRequests: 0, ttsRequests: 0, sessions: 0 });
  expect(totalOpen(s.openHandles())).toBe(0);
  expect(s.ledger.problems()).toEqual([]);
}

describe('provider outages through the Socket.IO transport', () => {
  it('LLM down: each turn gets a typed error naming the LLM on the same connection; the first turn after it is back is answered', async () => {
    const { server, user } = await connect();
    server.llm.isDown = true;
    const failed = [];
    // Two turns: one request throws in generate(), the next fails as a stream.
    for (const word of ['first', 'second']) {
      await user.speak(`${word} what is the weather`);
      failed.push(await user.outcome(word));
    }
    for (const outcome of failed) {
      expect(outcome.how).toBe('error');
      expect(outcome.error).toMatchObject({
        code: 'provider_unavailable',
        reason: 'session_error',
        source: 'llm:faulty',
        retryable: true,
      });
    }
    expect(user.audioChunks).toBe(0);

    server.llm.isDown = false;
    await user.speak('third are you back');
    const recovered = await user.outcome('third');
    expect(recovered.how).toBe('spoken');
    expect(user.audioTurnIds.has(recovered.turnId)).toBe(true);
    expect(user.readies).toHaveLength(1);
    await leaveAndCheck(server, user);
  });

  it('LLM down with errorReply: the user hears the apology after the typed error', async () => {
    const apology = 'Sorry, I cannot answer right now.';
    const { server, user } = await connect({ session: { errorReply: { text: apology } } });
    server.llm.isDown = true;
    await user.speak('hello is anyone there');
    const outcome = await user.outcome('hello');
    expect(outcome.how).toBe('error');
    await user.waitFor(() => user.speechEnds.some((e) => e.text === apology), 'the apology to be spoken');
    const spoken = user.speechEnds.find((e) => e.text === apology)!;
    expect(user.audioTurnIds.has(spoken.turnId)).toBe(true);
    expect(user.agentTexts.map((t) => t.text).join('')).toBe(apology);
    await leaveAndCheck(server, user);
  });

  it('TTS down: the reply text still reaches the client with a typed error naming TTS, and speech returns with the provider', async () => {
    const { server, user } = await connect({ session: { errorReply: { text: 'Sorry.' } } });
    server.tts.isDown = true;
    await user.speak('quiet tell me something');
    const failed = await user.outcome('quiet');
    expect(failed).toMatchObject({
      how: 'error',
      error: { code: 'provider_unavailable', source: 'tts:faulty' },
    });
    expect(user.agentTexts.some((t) => t.turnId === failed.turnId)).toBe(true);
    expect(user.audioTurnIds.has(failed.turnId)).toBe(false);

    server.tts.isDown = false;
    await user.speak('loud tell me again');
    const recovered = await user.outcome('loud');
    expect(recovered.how).toBe('spoken');
    expect(user.audioTurnIds.has(recovered.turnId)).toBe(true);
    // No apology was attempted for a TTS failure (it could not be spoken anyway).
    expect(user.agentTexts.map((t) => t.text)).not.toContain('Sorry.');
    await leaveAndCheck(server, user);
  });

  it('STT down: the client gets typed recognizer errors while it talks, and is heard again once the recognizer is back', async () => {
    const { server, user } = await connect();
    server.stt.isDown = true;
    const speaking = user.speak('again can you hear me', { heardWithinMs: 10_000 });
    await user.waitFor(() => user.errors.length >= 3, 'three recognizer errors');
    expect(user.transcripts).toEqual([]);
    server.stt.isDown = false;
    await speaking;
    const outcome = await user.outcome('again');
    expect(outcome.how).toBe('spoken');
    expect(new Set(user.errors.map((e) => `${e.code} ${e.source} ${e.reason}`))).toEqual(
      new Set(['provider_unavailable stt:in-band session_error']),
    );
    expect(user.errors.every((e) => e.turnId === undefined)).toBe(true);
    await leaveAndCheck(server, user);
  });

  it('a recognition stream the provider ends is reopened without an error, and a failed one with a typed error', async () => {
    const { server, user } = await connect();
    user.breakRecognition('end-stream');
    await user.speak('one after rotation');
    expect((await user.outcome('one')).how).toBe('spoken');
    expect(user.errors).toEqual([]);
    user.breakRecognition('fail-stream');
    await user.speak('two after failure');
    expect((await user.outcome('two')).how).toBe('spoken');
    expect(user.errors.map((e) => e.source)).toEqual(['stt:in-band']);
    expect(server.stt.streams.opened).toBe(3);
    await leaveAndCheck(server, user);
  });
});
