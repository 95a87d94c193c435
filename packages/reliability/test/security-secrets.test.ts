import type { Logger } from '@voxduplex/core';
import type { VoiceAgentClient, VoiceAgentClientEvents } from '@voxduplex/transport-socketio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { Bystander } from './support/bystander';
import { FAILING_WORDS, FAKE_API_KEY, KeyedLlm, KeyedStt, KeyedTts } from './support/keyed-providers';
import { collectErrors, connectOutcome, nextEvent, rawClient, waitFor } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

let server: VoiceServer | undefined;
let user: Bystander | undefined;
afterEach(async () => {
  user?.close();
  await server?.close();
  user = undefined;
  server = undefined;
});

/** Resolves with the next client event of `name` that matches. */
function next<E extends keyof VoiceAgentClientEvents>(
  client: VoiceAgentClient,
  name: E,
  matches: (payload: VoiceAgentClientEvents[E]) => boolean = () => true,
): Promise<VoiceAgentClientEvents[E]> {
  return new Promise((resolve) => {
    const off = client.on(name, (payload) => {
      if (!matches(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** A logger keeping every line as the text a log shipper would store (errors with their stacks and causes). */
function capturedLogs() {
  const lines: string[] = [];
  const serialize = (value: unknown): unknown =>
    value instanceof Error
      ? { name: value.name, message: value.message, stack: value.stack, cause: serialize(value.cause) }
      : value;
  const at = (level: string) => (fields: object | string, message?: string) => {
    const entries =
      typeof fields === 'string' ? {} : Object.entries(fields).map(([k, v]) => [k, serialize(v)]);
    lines.push(
      JSON.stringify({ level, message: typeof fields === 'string' ? fields : message, fields: entries }),
    );
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('provider keys never reach a client, nor the logs', () => {
  it('no byte sent to any client or written to the log holds the key, through a whole conversation and every kind of provider failure', async () => {
    const stt = new KeyedStt();
    const llm = new KeyedLlm();
    const tts = new KeyedTts();
    const logs = capturedLogs();
    server = await startVoiceServer({
      logger: logs.logger,
      providersFor: () => ({ stt, llm, tts }),
      beforeCreate: (id) => {
        if (id === 'broken') throw new Error(`cannot reach https://stt.example.invalid/?key=${FAKE_API_KEY}`);
      },
      authenticate: ({ auth }) => {
        if (auth.user === 'auth-bomb') throw new Error(`token check used ${FAKE_API_KEY}`);
        return auth.token === 'good' ? { id: String(auth.user ?? 'alice') } : null;
      },
    });
    user = new Bystander(server.url, { token: 'good' });
    const client = user.client;
    await user.ready();

    // A normal spoken turn: audio in, transcript, reply text, reply audio, end of speech.
    await user.turn();
    expect(user.failures).toEqual([]);

    // A typed turn whose reply the user talks over.
    const interrupted = next(client, 'speech-end');
    client.sendText('Tell me something.');
    await next(client, 'user-turn');
    client.interrupt();
    await interrupted;

    // The language model refuses the key (typed error), then its SDK throws a plain Error.
    const authError = next(client, 'error', (e) => e.code === 'provider_auth');
    client.sendText(`Please ${FAILING_WORDS.llmAuth}.`);
    await authError;
    const plainError = next(
      client,
      'error',
      (e) => e.reason === 'session_error' && e.code !== 'provider_auth',
    );
    client.sendText(`Now ${FAILING_WORDS.llmPlain}.`);
    await plainError;

    // The synthesizer runs out of quota on one sentence.
    const quotaError = next(client, 'error', (e) => e.code === 'provider_quota');
    client.sendText(`What about the ${FAILING_WORDS.ttsQuota}?`);
    await quotaError;

    // The recognizer's stream is refused mid-utterance.
    client.sendAudio(new Int16Array(320));
    await waitFor(() => stt.streams.open > 0, 'a recognition stream');
    const sttError = next(client, 'error', (e) => e.code === 'provider_auth' && e.source === 'stt:keyed');
    stt.failWithKey();
    await sttError;

    // The session factory fails for one user; authenticate throws for another.
    const broken = rawClient(server.url, { token: 'good', user: 'broken' });
    const brokenErrors = collectErrors(broken);
    await nextEvent(broken, 'disconnect');
    expect(brokenErrors.errors).toMatchObject([{ reason: 'session_error' }]);
    const bomb = rawClient(server.url, { token: 'good', user: 'auth-bomb' });
    expect(await connectOutcome(bomb)).toMatchObject({ data: { reason: 'unauthorized' } });
    bomb.disconnect();

    // Six failures were reported to the clients, and what went over the wire never had the key.
    expect(user.errors.filter((e) => e.reason === 'session_error').length).toBeGreaterThanOrEqual(4);
    expect(server.wire.packets.length).toBeGreaterThan(50);
    expect(server.wire.contains(FAKE_API_KEY)).toBe(false);
    // Nor a tell-tale piece of it, as a vendor's masked echo ("sk-vox-…5d60c1e2") would show.
    expect(server.wire.contains(FAKE_API_KEY.slice(-12))).toBe(false);

    // The log tells the operator what failed, where and why — ids, codes, sources, causes — without the key.
    const log = logs.lines.join('\n');
    expect(log).toContain('"provider_auth"');
    expect(log).toContain('"provider_quota"');
    expect(log).toContain('fetch failed: POST https://llm.example.invalid/v1?key=[redacted]');
    expect(logs.lines.some((line) => line.includes('"turnId"') && line.includes('"sessionId"'))).toBe(true);
    expect(logs.lines.some((line) => line.includes('"speechId"'))).toBe(true);
    expect(log).not.toContain(FAKE_API_KEY);
    expect(log).not.toContain(FAKE_API_KEY.slice(-12));
  });
});
