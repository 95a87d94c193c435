import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, consoleLogger, type Logger } from '@voxduplex/core';
import {
  BodyTooLarge,
  bodyParams,
  readBody,
  refuseWebhook,
  type WebhookRequest,
} from '../webhook/request-body';
import { isValidTelnyxSignature, TELNYX_SIGNATURE_TOLERANCE_SEC, telnyxPublicKey } from './signature';
import { connectStreamTexml } from './texml';

/** The parameters of Telnyx's TeXML voice webhook (`CallSid`, `From`, `To`, …), as strings. */
export type TelnyxWebhookParams = Readonly<Record<string, string>>;

/** Options of {@link telnyxVoiceWebhook}. */
export interface TelnyxVoiceWebhookOptions {
  /**
   * The account's webhook public key: base64 of the 32-byte Ed25519 key (Mission Control →
   * Keys & Credentials → Public Key), a PEM key or a `KeyObject`. Required.
   */
  readonly publicKey: string | KeyObject;
  /** The `wss://` URL of the media stream ({@link attachPhoneAgent}'s path on your public host). */
  readonly streamUrl: string | ((params: TelnyxWebhookParams, request: IncomingMessage) => string);
  /**
   * Custom parameters for the stream (they reach `authenticate` and `createSession` as
   * `call.customParameters`). Default none: Telnyx's `start` already names the numbers.
   */
  readonly parameters?: (params: TelnyxWebhookParams) => Record<string, string>;
  /** Largest accepted distance between `telnyx-timestamp` and now, seconds (default 300). */
  readonly toleranceSec?: number;
  /** Largest request body read, bytes (default 64 KiB); a larger one is refused with 413. */
  readonly maxBodyBytes?: number;
  /** Where refusals are written (warn). Default `consoleLogger('warn')`. */
  readonly logger?: Logger;
}

/** A Node / Express request handler: `(req, res)`. */
export type TelnyxWebhookHandler = (request: WebhookRequest, response: ServerResponse) => Promise<void>;

/**
 * Answers Telnyx's TeXML voice webhook with `<Connect><Stream>` TeXML ({@link connectStreamTexml}),
 * after checking `telnyx-signature-ed25519` over `telnyx-timestamp` and the raw body with the
 * account's public key: a request unsigned, signed by another key, tampered with or older than
 * `toleranceSec` gets 403 and nothing else — no stream, session or provider is paid for it.
 *
 * The signature covers the raw body, so mount the handler before any body parser (or give it
 * `req.rawBody`, or `express.raw()`'s Buffer); a body some parser already turned into an object
 * cannot be checked and is refused with 500 and a log line that says so.
 *
 * @throws ConfigError at once when `publicKey` is missing or not an Ed25519 public key.
 *
 * @example
 * ```ts
 * app.post('/telnyx/voice', telnyxVoiceWebhook({
 *   publicKey: process.env.TELNYX_PUBLIC_KEY!,
 *   streamUrl: 'wss://agent.example.com/telnyx/stream',
 * }));
 * ```
 */
export function telnyxVoiceWebhook(options: TelnyxVoiceWebhookOptions): TelnyxWebhookHandler {
  if (!options.publicKey)
    throw new ConfigError('Invalid telnyxVoiceWebhook options', [
      'publicKey: required, the Telnyx public key that verifies telnyx-signature-ed25519',
    ]);
  const publicKey = telnyxPublicKey(options.publicKey);
  const logger = options.logger ?? consoleLogger('warn');
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const parameters = options.parameters ?? (() => ({}));

  return async (request, response) => {
    const refuse = (status: number, why: string) =>
      refuseWebhook(logger, 'telnyx', request, response, status, why);
    let body: Buffer;
    try {
      const raw = rawBodyOf(request);
      if (raw === 'parsed')
        return refuse(
          500,
          'the body was parsed before the signature could be checked: mount telnyxVoiceWebhook before body parsers',
        );
      body = raw ?? (await readBody(request, maxBodyBytes));
    } catch (error) {
      return refuse(error instanceof BodyTooLarge ? 413 : 400, (error as Error).message);
    }
    const signature = header(request, 'telnyx-signature-ed25519');
    const timestamp = header(request, 'telnyx-timestamp');
    const check = {
      publicKey,
      signature,
      timestamp,
      body,
      toleranceSec: options.toleranceSec ?? TELNYX_SIGNATURE_TOLERANCE_SEC,
    };
    if (!isValidTelnyxSignature(check))
      return refuse(
        403,
        signature === undefined
          ? 'unsigned request'
          : 'invalid telnyx-signature-ed25519 or stale telnyx-timestamp',
      );
    let params: TelnyxWebhookParams;
    try {
      params = bodyParams(body, header(request, 'content-type'));
    } catch {
      return refuse(400, 'unreadable body');
    }
    const streamUrl =
      typeof options.streamUrl === 'function' ? options.streamUrl(params, request) : options.streamUrl;
    response
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(connectStreamTexml(streamUrl, parameters(params)));
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The raw body a framework kept (`rawBody`, `express.raw()`), 'parsed' if only a parsed one is left. */
function rawBodyOf(request: WebhookRequest): Buffer | 'parsed' | undefined {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  if (typeof request.rawBody === 'string') return Buffer.from(request.rawBody);
  if (Buffer.isBuffer(request.body)) return request.body;
  if (typeof request.body === 'string') return Buffer.from(request.body);
  if (request.body !== undefined && request.body !== null && typeof request.body === 'object')
    return 'parsed';
  return undefined;
}
