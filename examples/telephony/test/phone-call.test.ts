import { generateKeyPairSync } from 'node:crypto';
import type { VoiceSession } from '@voxduplex/core';
import { speakAsUser } from '@voxduplex/offline-e2e';
import { liveDecoderCount } from '@voxduplex/stt-pocketsphinx';
import { twilioSignature } from '@voxduplex/telephony';
import {
  type EmulatedCall,
  EmulatedTelnyxCall,
  EmulatedTwilioCall,
  signTelnyxWebhook,
} from '@voxduplex/telephony/testing';
import { liveSessionCount } from '@voxduplex/vad-silero';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type RunningPhoneServer,
  STREAM_PATH,
  startPhoneServer,
  TELNYX_STREAM_PATH,
  TELNYX_WEBHOOK_PATH,
  WEBHOOK_PATH,
} from '../src/phone-server';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const AUTH_TOKEN = 'test-auth-token';
const PUBLIC_URL = 'https://phone.example.test';
const FORM = { CallSid: 'CA0123456789abcdef0123456789abcdef', From: '+14155550100', To: '+14155550199' };
const TELNYX = generateKeyPairSync('ed25519');
/** The Telnyx public key as Mission Control shows it: base64 of the 32 raw bytes. */
const TELNYX_PUBLIC_KEY = Buffer.from(TELNYX.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString(
  'base64',
);
const TEXML_FORM = new URLSearchParams({
  CallSid: 'v3:telnyx-call',
  From: '+13125550100',
  To: '+13125550199',
}).toString();

/** The parameters a TwiML or TeXML answer gives its stream, as the carrier passes them on. */
function streamParameters(markup: string): Record<string, string> {
  return Object.fromEntries(
    [...markup.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]),
  );
}

/** Posts Twilio's voice webhook as Twilio would (signed unless `signature` says otherwise). */
function callWebhook(
  server: RunningPhoneServer,
  signature = twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${WEBHOOK_PATH}`, FORM),
) {
  return fetch(`${server.localUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(FORM).toString(),
  });
}

/** The caller asks "what time is it"; the agent answers it in full (not interrupted). */
async function expectTimeAnswered(call: EmulatedCall, session: VoiceSession, question: Int16Array) {
  call.say(question, 16_000);
  await call.waitFor(
    () => session.history.filter((m) => m.role === 'assistant').length >= 2,
    30_000,
    'the answer heard',
  );
  const [, user, answer] = session.history.slice(1);
  expect(user?.content).toMatch(/\btime\b/);
  expect(answer?.content).toContain("That's the time on this machine's clock.");
  expect(answer).not.toHaveProperty('interrupted');
}

/** The recognizer's decoder and the VAD's model session are freed once their last native call returns. */
async function expectEnginesFreed() {
  await vi.waitFor(() => expect([liveDecoderCount(), liveSessionCount()]).toEqual([0, 0]), {
    timeout: 20_000,
  });
}

describe('the telephony example on the offline engines, called through the Twilio and Telnyx emulators', () => {
  let server: RunningPhoneServer;
  let question: Int16Array;

  beforeAll(async () => {
    [question] = (await speakAsUser(['what time is it'], 'rms')) as [Int16Array];
    server = await startPhoneServer({
      authToken: AUTH_TOKEN,
      telnyxPublicKey: TELNYX_PUBLIC_KEY,
      publicUrl: PUBLIC_URL,
      port: 0,
      host: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('refuses a webhook call with a wrong signature', async () => {
    const response = await callWebhook(
      server,
      twilioSignature('not-the-token', `${PUBLIC_URL}${WEBHOOK_PATH}`, FORM),
    );
    expect(response.status).toBe(403);
    expect(server.phone!.stats().activeCalls).toBe(0);
  });

  it('greets, answers a spoken question, says which key was pressed, and frees everything at hang-up', async () => {
    const twiml = await (await callWebhook(server)).text();
    expect(twiml).toContain(`<Stream url="wss://phone.example.test${STREAM_PATH}">`);
    // The emulator streams with the parameters the TwiML gave, as Twilio would.
    const customParameters = streamParameters(twiml);
    const call = await EmulatedTwilioCall.dial({
      url: `${server.localUrl.replace('http', 'ws')}${STREAM_PATH}`,
      callSid: FORM.CallSid,
      customParameters,
    });
    await call.waitFor(() => server.phone!.calls.size === 1, 10_000, 'the session');
    const session = server.phone!.calls.get(FORM.CallSid)!;
    await call.waitFor(
      () => session.history.some((m) => m.role === 'assistant'),
      20_000,
      'the greeting heard',
    );
    const greetingMs = call.heardMs();
    expect(greetingMs).toBeGreaterThan(2000);

    await expectTimeAnswered(call, session, question);
    expect(call.heardMs() - greetingMs).toBeGreaterThan(1500);

    call.pressKey('5');
    await call.waitFor(
      () => session.history.some((m) => m.content === 'You pressed 5.'),
      20_000,
      'the key answered',
    );
    expect(call.clears).toEqual([]);

    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 5000, 'the session closed');
    expect(server.phone!.stats()).toMatchObject({
      activeCalls: 0,
      refusedCalls: 0,
      rejectedMessages: 0,
      lateFrames: 0,
    });
    await expectEnginesFreed();
  });

  it('answers a Telnyx call whose frames come out of order, after refusing a wrongly signed webhook', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${server.localUrl}${TELNYX_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: TEXML_FORM,
      });
    const forged = await post(signTelnyxWebhook(generateKeyPairSync('ed25519').privateKey, TEXML_FORM));
    expect(forged.status).toBe(403);
    const texml = await (await post(signTelnyxWebhook(TELNYX.privateKey, TEXML_FORM))).text();
    expect(texml).toContain(
      `<Stream url="wss://phone.example.test${TELNYX_STREAM_PATH}" codec="PCMU" bidirectionalMode="rtp"`,
    );
    const call = await EmulatedTelnyxCall.dial({
      url: `${server.localUrl.replace('http', 'ws')}${TELNYX_STREAM_PATH}`,
      customParameters: streamParameters(texml),
      disorder: { outOfOrderEvery: 4, duplicateEvery: 9, displacement: 2 },
    });
    await call.waitFor(() => server.telnyx!.calls.size === 1, 10_000, 'the session');
    const session = server.telnyx!.calls.get(call.callControlId)!;
    await call.waitFor(
      () => session.history.some((m) => m.role === 'assistant'),
      20_000,
      'the greeting heard',
    );
    await expectTimeAnswered(call, session, question);
    const stats = server.telnyx!.stats();
    expect(stats.callerFramesReordered).toBeGreaterThan(0);
    expect(stats.callerFramesDropped).toBeGreaterThan(0);
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 5000, 'the session closed');
    expect(server.telnyx!.stats()).toMatchObject({ activeCalls: 0, refusedCalls: 0, rejectedMessages: 0 });
    await expectEnginesFreed();
  });
});
