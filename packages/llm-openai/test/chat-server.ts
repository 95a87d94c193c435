import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the local server received, with its parsed JSON body. */
export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  readonly url: string;
  readonly body: Record<string, unknown>;
  /** Resolves when the client side of this request's connection went away or the response ended. */
  readonly closed: Promise<void>;
}

/** Answers one request; `call` counts requests from 0. */
export type ChatHandler = (
  res: ServerResponse,
  request: ReceivedRequest,
  call: number,
) => void | Promise<void>;

/** A local Chat Completions server on 127.0.0.1, port 0. */
export interface ChatServer {
  readonly baseURL: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a server that hands every POST to `handler`. */
export async function startChatServer(handler: ChatHandler): Promise<ChatServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const closed = once(res, 'close').then(() => undefined);
    const request: ReceivedRequest = {
      headers: req.headers,
      url: req.url ?? '',
      body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      closed,
    };
    const call = requests.length;
    requests.push(request);
    await handler(res, request, call);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Starts a `text/event-stream` response. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
}

/** Writes one `data: {...}\n\n` event holding a chunk with `delta` (and a finish reason). */
export function writeChunk(
  res: ServerResponse,
  delta: Record<string, unknown>,
  finishReason: string | null = null,
): void {
  const chunk = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'test-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  res.write(`data: ${JSON.stringify(chunk)}\n\n`);
}

/** Writes the closing `data: [DONE]` and ends the response. */
export function endSse(res: ServerResponse): void {
  res.end('data: [DONE]\n\n');
}

/** A whole streamed reply: role chunk, one chunk per token, finish reason, `[DONE]`. */
export function streamReply(res: ServerResponse, tokens: readonly string[], finishReason = 'stop'): void {
  startSse(res);
  writeChunk(res, { role: 'assistant', content: '' });
  for (const token of tokens) writeChunk(res, { content: token });
  writeChunk(res, {}, finishReason);
  endSse(res);
}

/** Answers with an HTTP error in OpenAI's JSON error shape. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: { message: string; type?: string; code?: string },
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { type: 'invalid_request_error', code: null, param: null, ...error } }));
}

interface WireMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string }[];
  tool_call_id?: string;
}

/**
 * The history rules OpenAI enforces with a 400: tool calls are answered by `tool` messages
 * right after them, each id exactly once; a `tool` message answers a pending call; `content`
 * may be null only beside tool calls. Returns the problems found (empty when accepted).
 */
export function historyProblems(messages: readonly WireMessage[]): string[] {
  const problems: string[] = [];
  let pending = new Set<string>();
  messages.forEach((message, index) => {
    if (message.role === 'tool') {
      if (!message.tool_call_id || !pending.delete(message.tool_call_id)) {
        problems.push(`messages[${index}]: tool message answers no pending call`);
      }
      return;
    }
    if (pending.size > 0) problems.push(`messages[${index}]: calls ${[...pending].join(', ')} unanswered`);
    pending = new Set((message.tool_calls ?? []).map((call) => call.id));
    if (message.content === null && pending.size === 0) problems.push(`messages[${index}]: null content`);
  });
  if (pending.size > 0) problems.push(`calls ${[...pending].join(', ')} unanswered at the end`);
  return problems;
}
