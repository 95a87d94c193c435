import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, consoleLogger, type Logger } from '@voxduplex/core';
import {
  BodyTooLarge,
  bodyParams,
  readBody,
  refuseWebhook,
  stringEntries,
  type WebhookRequest,
} from '../webhook/request-body';
import { isValidTwilioSignature } from './signature';
import { connectStreamTwiml } from './twiml';

/** The POST parameters of Twilio's voice webhook (`CallSid`, `From`, `To`, …), as strings. */
export type TwilioWebhookParams = Readonly<Record<string, string>>;

/** Options of {@link twilioVoiceWebhook}. */
export interface TwilioVoiceWebhookOptions {
  /** The account's auth token: the key of `X-Twilio-Signature`. Required. */
  readonly authToken: string;
  /** The `wss://` URL of the media stream ({@link attachPhoneAgent}'s path on your public host). */
  readonly streamUrl: string | ((params: TwilioWebhookParams, request: IncomingMessage) => string);
  /**
   * The URL Twilio called, as configured on the number: what the signature covers. Default: from
   * `X-Forwarded-Proto` (else `https`), `X-Forwarded-Host` (else `Host`) and the request path.
   * Set it when a proxy or tunnel rewrites the host.
   */
  readonly publicUrl?: string | ((request: IncomingMessage) => string);
  /**
   * Custom parameters for the stream (they reach `authenticate` and `createSession` as
   * `call.customParameters`). Default: the caller's and called numbers, `{ from, to }`.
   */
  readonly parameters?: (params: TwilioWebhookParams) => Record<string, string>;
  /** Largest request body read, bytes (default 64 KiB); a larger one is refused with 413. */
  readonly maxBodyBytes?: number;
  /** Where refusals are written (warn). Default `consoleLogger('warn')`. */
  readonly logger?: Logger;
}

/** A Node / Express request handler: `(req, res)`. Express's parsed `req.body` is used if present. */
export type TwilioWebhookHandler = (request: WebhookRequest, response: ServerResponse) => Promise<void>;

/**
 * Answers Twilio's voice webhook ("A call comes in") with `<Connect><Stream>` TwiML, after
 * checking `X-Twilio-Signature`: a request that is unsigned or signed with another token gets
 * 403 and nothing else — no TwiML, so no stream, session or provider is ever paid for it.
 *
 * @throws ConfigError at once when `authToken` is empty (every call would be refused).
 *
 * @example
 * ```ts
 * app.post('/twilio/voice', twilioVoiceWebhook({
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 *   streamUrl: 'wss://agent.example.com/twilio/stream',
 * }));
 * ```
 */
export function twilioVoiceWebhook(options: TwilioVoiceWebhookOptions): TwilioWebhookHandler {
  if (typeof options.authToken !== 'string' || options.authToken === '')
    throw new ConfigError('Invalid twilioVoiceWebhook options', [
      'authToken: required, the Twilio auth token that signs the webhook (X-Twilio-Signature)',
    ]);
  const logger = options.logger ?? consoleLogger('warn');
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const parameters = options.parameters ?? ((params) => pick(params, { From: 'from', To: 'to' }));

  return async (request, response) => {
    const refuse = (status: number, why: string) =>
      refuseWebhook(logger, 'twilio', request, response, status, why);
    let params: TwilioWebhookParams;
    try {
      params = request.method === 'GET' ? {} : await formParams(request, maxBodyBytes);
    } catch (error) {
      return refuse(error instanceof BodyTooLarge ? 413 : 400, (error as Error).message);
    }
    const url = publicUrlOf(request, options.publicUrl);
    const signature = request.headers['x-twilio-signature'];
    if (
      !isValidTwilioSignature(
        options.authToken,
        typeof signature === 'string' ? signature : undefined,
        url,
        params,
      )
    )
      return refuse(403, signature === undefined ? 'unsigned request' : 'invalid X-Twilio-Signature');
    const streamUrl =
      typeof options.streamUrl === 'function' ? options.streamUrl(params, request) : options.streamUrl;
    response
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(connectStreamTwiml(streamUrl, parameters(params)));
  };
}

/** The form parameters: Express's parsed body if it ran, else read from the request. */
async function formParams(request: WebhookRequest, maxBytes: number): Promise<TwilioWebhookParams> {
  if (request.body !== undefined && request.body !== null && typeof request.body === 'object')
    return stringEntries(request.body);
  return bodyParams(await readBody(request, maxBytes), undefined);
}

function publicUrlOf(request: IncomingMessage, publicUrl: TwilioVoiceWebhookOptions['publicUrl']): string {
  if (typeof publicUrl === 'function') return publicUrl(request);
  if (typeof publicUrl === 'string') return publicUrl;
  const header = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  };
  return `${header('x-forwarded-proto') ?? 'https'}://${header('x-forwarded-host') ?? header('host') ?? ''}${request.url ?? '/'}`;
}

function pick(params: TwilioWebhookParams, names: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(names)) if (params[from] !== undefined) out[to] = params[from];
  return out;
}
