import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@voxduplex/core';
import { recordingLogger } from '@voxduplex/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { twilioSignature, twilioVoiceWebhook } from '../src/index';

const AUTH_TOKEN = 'test-auth-token';
const PUBLIC_URL = 'https://agent.example.com/twilio/voice';
const FORM = { CallSid: 'CA123', From: '+14155550100', To: '+14155550199', AccountSid: 'AC1' };

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (open) await new Promise((resolve) => open.close(resolve));
});

async function serve(options: Partial<Parameters<typeof twilioVoiceWebhook>[0]> = {}) {
  const { logger, lines } = recordingLogger();
  const handler = twilioVoiceWebhook({
    authToken: AUTH_TOKEN,
    streamUrl: 'wss://agent.example.com/twilio/stream',
    publicUrl: PUBLIC_URL,
    logger,
    ...options,
  });
  server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/twilio/voice`;
  const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  return { post, lines };
}

describe('the Twilio voice webhook', () => {
  it('answers a signed call with <Connect><Stream> TwiML carrying the numbers as parameters', async () => {
    const { post } = await serve();
    const response = await post(FORM, {
      'x-twilio-signature': twilioSignature(AUTH_TOKEN, PUBLIC_URL, FORM),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(await response.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Connect>' +
        '<Stream url="wss://agent.example.com/twilio/stream">' +
        '<Parameter name="from" value="+14155550100"/><Parameter name="to" value="+14155550199"/>' +
        '</Stream></Connect></Response>',
    );
  });

  it('passes the parameters the app picks, escaped, to a stream URL it picks', async () => {
    const { post } = await serve({
      streamUrl: (params) => `wss://agent.example.com/twilio/stream?call=${params.CallSid}&x=1`,
      parameters: (params) => ({ tenant: 'a"b<c>&d', caller: params.From! }),
    });
    const response = await post(FORM, {
      'x-twilio-signature': twilioSignature(AUTH_TOKEN, PUBLIC_URL, FORM),
    });
    expect(await response.text()).toContain(
      '<Stream url="wss://agent.example.com/twilio/stream?call=CA123&#38;x=1">' +
        '<Parameter name="tenant" value="a&#34;b&#60;c&#62;&#38;d"/><Parameter name="caller" value="+14155550100"/>',
    );
  });

  it('refuses unsigned, wrongly signed and tampered requests with 403 and no TwiML', async () => {
    const { post, lines } = await serve();
    const unsigned = await post(FORM);
    const wrongToken = await post(FORM, {
      'x-twilio-signature': twilioSignature('other-token', PUBLIC_URL, FORM),
    });
    const tampered = await post(
      { ...FORM, From: '+19995550000' },
      { 'x-twilio-signature': twilioSignature(AUTH_TOKEN, PUBLIC_URL, FORM) },
    );
    for (const response of [unsigned, wrongToken, tampered]) {
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('<Stream');
    }
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'twilio webhook refused: unsigned request'],
      ['warn', 'twilio webhook refused: invalid X-Twilio-Signature'],
      ['warn', 'twilio webhook refused: invalid X-Twilio-Signature'],
    ]);
  });

  it('checks the signature against the forwarded public URL by default, and refuses oversized bodies', async () => {
    const { post } = await serve({ publicUrl: undefined, maxBodyBytes: 512 });
    const signature = twilioSignature(AUTH_TOKEN, 'https://tunnel.example.net/twilio/voice', FORM);
    const forwarded = await post(FORM, {
      'x-twilio-signature': signature,
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'tunnel.example.net',
    });
    expect(forwarded.status).toBe(200);
    const huge = await post({ ...FORM, Junk: 'x'.repeat(2000) }, { 'x-twilio-signature': signature });
    expect(huge.status).toBe(413);
  });

  it('throws at start-up without an auth token', () => {
    expect(() => twilioVoiceWebhook({ authToken: '', streamUrl: 'wss://x' })).toThrow(ConfigError);
  });
});
