// LLM adapter overhead on loopback: from the moment a local server writes the first SSE byte
// (OpenAI-compatible) or emits the first `chat:token` (AI-service socket) to the moment the
// adapter emits the first `token` event. Server and adapter share one process and one clock;
// the model's own time to first token is not part of it. Build core and the adapters first.
// On a shared 2-core box the tail is mostly scheduling: compare with a bare `fetch` read of the
// same stream (`llm.openai.raw_fetch_first_chunk.p99`), which has no SSE parsing and no adapter.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmEvent, LlmProvider } from '@voxduplex/core';
import { OpenAiLlm } from '@voxduplex/llm-openai';
import { AI_SERVICE_EVENTS, AiServiceConnection, SocketIoLlm } from '@voxduplex/llm-socketio';
import { Server } from 'socket.io';
import { type BenchResult, quantileResults, report } from './harness';

const WARMUP = 50;
const RUNS = 500;
const request = { messages: [{ role: 'user' as const, content: 'Say hello' }] };

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  const body = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'bench',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** Subscribes, resolves with the time of the first token once the stream has ended. */
function firstTokenAt(llm: LlmProvider): Promise<number> {
  return new Promise((resolve, reject) => {
    let at = Number.NaN;
    llm.generate(request).subscribe({
      next: (event: LlmEvent) => {
        if (event.type === 'token' && Number.isNaN(at)) at = performance.now();
      },
      error: reject,
      complete: () => resolve(at),
    });
  });
}

async function measure(llm: LlmProvider, writtenAt: () => number): Promise<number[]> {
  const overheadsMs: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const tokenAt = await firstTokenAt(llm);
    if (run >= WARMUP) overheadsMs.push(tokenAt - writtenAt());
  }
  return overheadsMs;
}

/** Same server, read with bare `fetch`: the floor the adapter cannot go below. */
async function rawFetchFirstChunkAt(baseURL: string): Promise<number> {
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', body: '{}' });
  const reader = response.body!.getReader();
  let firstAt = Number.NaN;
  for (;;) {
    const { done } = await reader.read();
    if (Number.isNaN(firstAt)) firstAt = performance.now();
    if (done) return firstAt;
  }
}

async function openAiOverhead(): Promise<{ adapter: number[]; rawFetch: number[] }> {
  let writtenAt = 0;
  const server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      // Headers first, as real servers do once they accept the request; the first event follows
      // after a model's time to first token (here a token 5 ms: the client has read the headers).
      setTimeout(() => {
        writtenAt = performance.now();
        res.write(chunk({ role: 'assistant', content: 'Hello' }));
        res.write(chunk({ content: ' there.' }));
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
      }, 5);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const llm = new OpenAiLlm({ model: 'bench', baseURL, apiKey: 'bench' });
  try {
    // Interleaved, so both see the same load on a shared machine.
    const adapter: number[] = [];
    const rawFetch: number[] = [];
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const tokenAt = await firstTokenAt(llm);
      if (run >= WARMUP) adapter.push(tokenAt - writtenAt);
      const chunkAt = await rawFetchFirstChunkAt(baseURL);
      if (run >= WARMUP) rawFetch.push(chunkAt - writtenAt);
    }
    return { adapter, rawFetch };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

async function socketIoOverhead(): Promise<number[]> {
  let writtenAt = 0;
  const httpServer = createServer();
  const io = new Server(httpServer, { transports: ['websocket'] });
  io.on('connection', (socket) =>
    socket.on(AI_SERVICE_EVENTS.request, ({ requestId }: { requestId: string }) => {
      writtenAt = performance.now();
      socket.emit(AI_SERVICE_EVENTS.token, { requestId, text: 'Hello' });
      socket.emit(AI_SERVICE_EVENTS.token, { requestId, text: ' there.' });
      socket.emit(AI_SERVICE_EVENTS.done, { requestId });
    }),
  );
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  const connection = new AiServiceConnection({ url: `http://127.0.0.1:${port}` });
  try {
    return await measure(new SocketIoLlm({ connection }), () => writtenAt);
  } finally {
    connection.close();
    await io.close();
  }
}

export default async function llmBench(): Promise<readonly BenchResult[]> {
  const { adapter: openAi, rawFetch } = await openAiOverhead();
  const socketIo = await socketIoOverhead();
  const results = [
    ...quantileResults('llm.openai.first_token_overhead', openAi, 'ms', { p99: '< 2', p50: '< 1' }),
    ...quantileResults('llm.openai.raw_fetch_first_chunk', rawFetch, 'ms', {
      p99: 'baseline',
      p50: 'baseline',
    }),
    ...quantileResults('llm.socketio.first_token_overhead', socketIo, 'ms', { p99: '< 2', p50: '< 1' }),
  ];
  report('llm', results);
  return results;
}
