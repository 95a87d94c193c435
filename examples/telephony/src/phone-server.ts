import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceSession } from '@voxduplex/core';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import { attachPhoneAgent, type PhoneAgentServer, twilioVoiceWebhook } from '@voxduplex/telephony';
import express from 'express';

/** What the phone agent needs to run. */
export interface PhoneServerConfig {
  /** The Twilio account's auth token: it signs the webhook and keys the per-call stream tokens. */
  readonly authToken: string;
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
  readonly phone: PhoneAgentServer;
  readonly stack: LocalStack;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = '/twilio/voice';
export const STREAM_PATH = '/twilio/stream';
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
 * The stream token the webhook gives a call (a `<Parameter>`): HMAC of the call id under the auth
 * token. Only a call our signed webhook answered can present it, so the stream path is not open
 * to whoever finds the URL.
 */
export function streamToken(authToken: string, callSid: string): string {
  return createHmac('sha256', authToken).update(`stream:${callSid}`).digest('base64url');
}

function isStreamToken(authToken: string, callSid: string, token: string | undefined): boolean {
  const expected = Buffer.from(streamToken(authToken, callSid));
  const given = Buffer.from(token ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Express app with Twilio's voice webhook at {@link WEBHOOK_PATH} (signature checked) and the
 * media stream at {@link STREAM_PATH}, answered by a fully offline agent: PocketSphinx + Silero
 * → demo brain → Flite. The agent greets, answers, and says which key was pressed.
 */
export async function startPhoneServer(config: PhoneServerConfig): Promise<RunningPhoneServer> {
  const stack = createLocalStack({ stt: { search: { type: 'jsgf-text', grammar: PHONE_GRAMMAR } } });
  await stack.warmUp();
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  const streamUrl = `${config.publicUrl.replace(/^http/, 'ws')}${STREAM_PATH}`;
  app.post(
    WEBHOOK_PATH,
    twilioVoiceWebhook({
      authToken: config.authToken,
      streamUrl,
      publicUrl: `${config.publicUrl}${WEBHOOK_PATH}`,
      parameters: (form) => ({
        from: form.From ?? '',
        to: form.To ?? '',
        token: streamToken(config.authToken, form.CallSid ?? ''),
      }),
    }),
  );
  app.get('/health', (_request, response) => void response.json(phone.stats()));
  const http = createServer(app);
  const phone = attachPhoneAgent(http, {
    path: STREAM_PATH,
    authenticate: (call) =>
      isStreamToken(config.authToken, call.callId, call.customParameters.token) ? { id: call.callId } : null,
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
  await new Promise<void>((resolve) => http.listen(config.port, config.host ?? '0.0.0.0', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    localUrl: `http://127.0.0.1:${port}`,
    phone,
    stack,
    close: async () => {
      phone.close('server closing');
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await stack.close();
    },
  };
}
