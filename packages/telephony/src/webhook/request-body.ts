import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@voxduplex/core';

/** A webhook's body was larger than allowed. */
export class BodyTooLarge extends Error {}

/** A request whose body a framework may already have read (Express's `req.body`, `req.rawBody`). */
export type WebhookRequest = IncomingMessage & { body?: unknown; rawBody?: unknown };

/** Reads the request's body as bytes, refusing more than `maxBytes`. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge(`body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Form (or JSON) parameters of a webhook body, strings only. */
export function bodyParams(body: Buffer, contentType: string | undefined): Record<string, string> {
  const text = body.toString('utf8');
  if (contentType?.includes('json')) {
    const json: unknown = JSON.parse(text);
    return stringEntries(json);
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** The string fields of an object (a body a framework parsed). */
export function stringEntries(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
}

/** Logs a refusal at warn and answers it: status and a plain-text reason, nothing else. */
export function refuseWebhook(
  logger: Logger,
  carrier: string,
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  why: string,
): void {
  logger.warn({ status, path: request.url }, `${carrier} webhook refused: ${why}`);
  response.writeHead(status, { 'content-type': 'text/plain' }).end(why);
}
