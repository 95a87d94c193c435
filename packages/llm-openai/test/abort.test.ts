import { collect, trackTimers } from '@voxduplex/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiLlm } from '../src/index';
import {
  type ChatServer,
  sendError,
  startChatServer,
  startSse,
  streamReply,
  writeChunk,
} from './chat-server';
import { until } from './until';

// Distinct delays so the adapter's own timers can be told apart from the HTTP stack's.
const FIRST_TOKEN_MS = 7_001;
const IDLE_MS = 7_002;
const RETRY_AFTER_MS = 2_000;

let server: ChatServer | undefined;
let timers: ReturnType<typeof trackTimers>;
beforeEach(() => {
  timers = trackTimers([FIRST_TOKEN_MS, IDLE_MS, RETRY_AFTER_MS]);
});
afterEach(async () => {
  timers.restore();
  await server?.close();
  server = undefined;
});

const llmFor = (baseURL: string) =>
  new OpenAiLlm({
    model: 'm',
    baseURL,
    apiKey: 'k',
    firstTokenTimeoutMs: FIRST_TOKEN_MS,
    idleTimeoutMs: IDLE_MS,
    maxRetryDelayMs: 5_000,
  });

const request = { messages: [{ role: 'user' as const, content: 'Tell me a long story' }] };

describe('OpenAiLlm teardown', () => {
  it('unsubscribing mid-stream closes the HTTP request at once', async () => {
    let isStillWriting = true;
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { role: 'assistant', content: 'Once' });
      // Keep talking until the client goes away.
      const pump = setInterval(() => writeChunk(res, { content: ' upon' }), 5);
      res.on('close', () => {
        isStillWriting = false;
        clearInterval(pump);
      });
    });
    const llm = llmFor(server.baseURL);

    const tokens: string[] = [];
    await new Promise<void>((resolve) => {
      const subscription = llm.generate(request).subscribe((event) => {
        if (event.type !== 'token') return;
        tokens.push(event.text);
        if (tokens.length === 3) {
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    await server.requests[0]?.closed;

    expect(tokens).toEqual(['Once', ' upon', ' upon']);
    expect(isStillWriting).toBe(false);
    expect(timers.created()).toBeGreaterThan(0);
    // Cleanup runs on the promise chain, so give it a moment; far less than any of those timers.
    await until(() => timers.open() === 0, 1_000);
  });

  it('unsubscribing before the first token closes the request and sends no retry', async () => {
    server = await startChatServer((res) => startSse(res));
    const llm = llmFor(server.baseURL);

    const subscription = llm.generate(request).subscribe();
    await until(() => server?.requests.length === 1);
    subscription.unsubscribe();
    await server.requests[0]?.closed;

    expect(server.requests).toHaveLength(1);
    expect(timers.created()).toBeGreaterThan(0);
    // Cleanup runs on the promise chain, so give it a moment; far less than any of those timers.
    await until(() => timers.open() === 0, 1_000);
  });

  it('unsubscribing during a retry backoff cancels the wait and sends nothing more', async () => {
    server = await startChatServer((res) =>
      sendError(
        res,
        429,
        { message: 'slow down', code: 'rate_limit_exceeded' },
        { 'retry-after': String(RETRY_AFTER_MS / 1000) },
      ),
    );
    const llm = llmFor(server.baseURL);

    const subscription = llm.generate(request).subscribe();
    await until(() => server?.requests.length === 1);
    await server.requests[0]?.closed;
    // The 429 is answered; the adapter now waits the 2 s retry-after.
    await until(() => timers.open(RETRY_AFTER_MS) === 1);
    subscription.unsubscribe();

    expect(timers.created()).toBeGreaterThan(0);
    // Cleanup runs on the promise chain, so give it a moment; far less than any of those timers.
    await until(() => timers.open() === 0, 1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('a completed stream leaves no timer and its response is finished', async () => {
    server = await startChatServer((res) => streamReply(res, ['done']));
    const llm = llmFor(server.baseURL);

    const { error } = await collect(llm.generate(request));
    await server.requests[0]?.closed;

    expect(error).toBeUndefined();
    expect(timers.created()).toBeGreaterThan(0);
    // Cleanup runs on the promise chain, so give it a moment; far less than any of those timers.
    await until(() => timers.open() === 0, 1_000);
  });
});
