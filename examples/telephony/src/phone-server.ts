import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceSession } from '@voxduplex/core';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import {
  type AttachPhoneAgentOptions,
  attachPhoneAgent,
  type CallStart,
  type PhoneAgentServer,
  type PhoneCallIdentity,
  telnyxSerializer,
  telnyxVoiceWebhook,
  twilioVoiceWebhook,
} from '@voxduplex/telephony';
import express from 'express';

/** What the phone agent needs to run: Twilio's token, Telnyx's key, or both. */
export interface PhoneServerConfig {
  /** The Twilio account's auth token: it signs the webhook and keys the per-call stream tokens. */
  readonly authToken?: string;
  /**
   * The Telnyx account's webhook public key (base64, Mission Control → Keys & Credentials →
   * Public Key): turns on the Telnyx paths.
   */
  readonly telnyxPublicKey?: string;
  /**
   * The secret keying the Telnyx calls' stream tokens (any long random string; default the
   * Twilio auth token when there is one).
   */
  readonly streamSecret?: string;
  /** The public `https://` origin Twilio reaches (a tunnel while developing), no trailing slash. */
  readonly publicUrl: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Listen address; default all interfaces (a tunnel on the same machine needs only loopback). */
  readonly host?: string;
}

/** A running phone agent. */
export interface RunningPhoneServer {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  readonly localUrl: string;
  /** Twilio's media streams (undefined without `authToken`). */
  readonly phone: PhoneAgentServer | undefined;
  /** Telnyx's media streams (undefined without `telnyxPublicKey`). */
  readonly telnyx: PhoneAgentServer | undefined;
  readonly stack: LocalStack;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = '/twilio/voice';
export const STREAM_PATH = '/twilio/stream';
export const TELNYX_WEBHOOK_PATH = '/telnyx/voice';
export const TELNYX_STREAM_PATH = '/telnyx/stream';
/** How long a Telnyx stream ticket from the webhook stays good: the stream opens within seconds. */
const TICKET_TTL_MS = 5 * 60_000;
const GREETING = 'Hello! You are talking to the voxduplex demo. Ask me what time it is, or press a key.';

/**
 * What the offline recognizer listens for on a call. PocketSphinx's US English model is a 16 kHz
 * (wideband) model: on telephone audio (8 kHz, nothing above 3.4 kHz) open dictation hears
 * "what time is it" as "hm". A grammar of what the demo brain understands makes it reliable,
 * as in any phone menu. A cloud STT with a telephony model needs none of this.
 */
export const PHONE_GRAMMAR = `#JSGF V1.0;
grammar phone;
public <request> = [please] [tell me] (what time is it [now] | what is the time | what is the weather [like]
  | [tell me] a story | hello [there] | hi | stop | thank you | goodbye | yes | no);`;

/**
 * The stream token the webhook gives a call (a `<Parameter>`): HMAC under the secret of the call
 * id (Twilio) or of a fresh ticket (Telnyx). Only a call our signed webhook answered can present
 * it, so the stream path is not open to whoever finds the URL.
 */
export function streamToken(secret: string, callId: string): string {
  return createHmac('sha256', secret).update(`stream:${callId}`).digest('base64url');
}

function isStreamToken(secret: string, callId: string, token: string | undefined): boolean {
  const expected = Buffer.from(streamToken(secret, callId));
  const given = Buffer.from(token ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Express app answered by a fully offline agent (PocketSphinx + Silero → demo brain → Flite):
 * with `authToken`, Twilio's voice webhook at {@link WEBHOOK_PATH} (signature checked) and its
 * media stream at {@link STREAM_PATH}; with `telnyxPublicKey`, Telnyx's TeXML webhook at
 * {@link TELNYX_WEBHOOK_PATH} (Ed25519 signature checked) and its stream at
 * {@link TELNYX_STREAM_PATH}. The agent greets, answers, and says which key was pressed.
 */
export async function startPhoneServer(config: PhoneServerConfig): Promise<RunningPhoneServer> {
  const streamSecret = config.streamSecret ?? config.authToken;
  if (!config.authToken && !config.telnyxPublicKey)
    throw new Error('startPhoneServer: give authToken (Twilio), telnyxPublicKey (Telnyx), or both');
  if (config.telnyxPublicKey && !streamSecret)
    throw new Error('startPhoneServer: the Telnyx paths need streamSecret (or authToken)');
  const stack = createLocalStack({ stt: { search: { type: 'jsgf-text', grammar: PHONE_GRAMMAR } } });
  await stack.warmUp();
  const app = express();
  const wss = config.publicUrl.replace(/^http/, 'ws');
  // Telnyx signs the raw body: its webhook comes before any body parser.
  if (config.telnyxPublicKey)
    app.post(
      TELNYX_WEBHOOK_PATH,
      telnyxVoiceWebhook({
        publicKey: config.telnyxPublicKey,
        streamUrl: `${wss}${TELNYX_STREAM_PATH}`,
        parameters: () => {
          const ticket = `${Date.now()}.${randomBytes(12).toString('hex')}`;
          return { ticket, token: streamToken(streamSecret!, ticket) };
        },
      }),
    );
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  if (config.authToken)
    app.post(
      WEBHOOK_PATH,
      twilioVoiceWebhook({
        authToken: config.authToken,
        streamUrl: `${wss}${STREAM_PATH}`,
        publicUrl: `${config.publicUrl}${WEBHOOK_PATH}`,
        parameters: (form) => ({
          from: form.From ?? '',
          to: form.To ?? '',
          token: streamToken(config.authToken!, form.CallSid ?? ''),
        }),
      }),
    );
  app.get(
    '/health',
    (_request, response) => void response.json({ twilio: phone?.stats(), telnyx: telnyx?.stats() }),
  );
  const http = createServer(app);
  /** The agent behind one carrier's stream; `subject` is what the call's stream token signs. */
  const agent = (
    secret: string,
    subject: (call: CallStart) => string | undefined,
  ): AttachPhoneAgentOptions<PhoneCallIdentity> => ({
    authenticate: (call) => {
      const signed = subject(call);
      return signed !== undefined && isStreamToken(secret, signed, call.customParameters.token)
        ? { id: call.callId }
        : null;
    },
    createSession: ({ call }) => {
      const session = createVoiceSession({
        ...stack.sessionConfig,
        // The phone and the network cancel echo and the inbound track holds only the caller, so
        // no echo handling: else a caller repeating the greeting's words ("what time is it")
        // would be taken for the agent's own voice coming back.
        interruption: { echo: false },
        instructions: `You answer the phone. The caller's number is ${call.from ?? 'unknown'}.`,
      });
      session.say(GREETING);
      session.on('dtmf', ({ digit }) =>
        session.say(`You pressed ${digit === '#' ? 'pound' : digit === '*' ? 'star' : digit}.`),
      );
      return session;
    },
  });
  // Twilio's token signs the call's CallSid, which its `start` repeats.
  const phone = config.authToken
    ? attachPhoneAgent(http, { path: STREAM_PATH, ...agent(config.authToken, (call) => call.callId) })
    : undefined;
  // Telnyx's signs a fresh ticket (issue time and random), good for TICKET_TTL_MS.
  const telnyx = config.telnyxPublicKey
    ? attachPhoneAgent(http, {
        path: TELNYX_STREAM_PATH,
        serializer: telnyxSerializer(),
        ...agent(streamSecret!, (call) => {
          const ticket = call.customParameters.ticket;
          const issuedAt = Number(ticket?.split('.')[0]);
          return Date.now() - issuedAt < TICKET_TTL_MS ? ticket : undefined;
        }),
      })
    : undefined;
  await new Promise<void>((resolve) => http.listen(config.port, config.host ?? '0.0.0.0', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    localUrl: `http://127.0.0.1:${port}`,
    phone,
    telnyx,
    stack,
    close: async () => {
      phone?.close('server closing');
      telnyx?.close('server closing');
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await stack.close();
    },
  };
}
