import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@voxduplex/core';
import { recordingLogger } from '@voxduplex/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { telnyxVoiceWebhook } from '../src/index';
import { signTelnyxWebhook } from '../src/testing/index';

const keys = generateKeyPairSync('ed25519');
const FORM = new URLSearchParams({ CallSid: 'v3:abc', From: '+13122010094', To: '+13122123456' }).toString();

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (open) await new Promise((resolve) => open.close(resolve));
});

async function serve(options: Partial<Parameters<typeof telnyxVoiceWebhook>[0]> = {}, parse = false) {
  const { logger, lines } = recordingLogger();
  const handler = telnyxVoiceWebhook({
    publicKey: keys.publicKey,
    streamUrl: 'wss://agent.example.com/telnyx/stream',
    logger,
    ...options,
  });
  server = createServer((request, response) => {
    // `parse`: a body parser already ran, as a misplaced express.urlencoded() would.
    if (parse) Object.assign(request, { body: { CallSid: 'v3:abc' } });
    void handler(request, response);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telnyx/voice`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  return { post, lines };
}

describe('the Telnyx TeXML voice webhook', () => {
  it('answers a signed call with <Connect><Stream> TeXML, bidirectional RTP in PCMU', async () => {
    const { post } = await serve({ parameters: (params) => ({ caller: params.From! }) });
    const response = await post(FORM, signTelnyxWebhook(keys.privateKey, FORM));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(await response.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Connect>' +
        '<Stream url="wss://agent.example.com/telnyx/stream" codec="PCMU" bidirectionalMode="rtp" bidirectionalCodec="PCMU">' +
        '<Parameter name="caller" value="+13122010094"/></Stream></Connect></Response>',
    );
  });

  it('refuses unsigned, wrongly signed, tampered and stale requests with 403 and no TeXML', async () => {
    const { post, lines } = await serve();
    const other = generateKeyPairSync('ed25519');
    const responses = [
      await post(FORM),
      await post(FORM, signTelnyxWebhook(other.privateKey, FORM)),
      await post(`${FORM}&Extra=1`, signTelnyxWebhook(keys.privateKey, FORM)),
      await post(FORM, signTelnyxWebhook(keys.privateKey, FORM, Math.floor(Date.now() / 1000) - 3600)),
    ];
    for (const response of responses) {
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('<Stream');
    }
    expect(lines.map((l) => l.message)).toEqual([
      'telnyx webhook refused: unsigned request',
      ...Array.from(
        { length: 3 },
        () => 'telnyx webhook refused: invalid telnyx-signature-ed25519 or stale telnyx-timestamp',
      ),
    ]);
  });

  it('refuses with 500 and says why when a body parser ran first (the raw body is gone)', async () => {
    const { post, lines } = await serve({}, true);
    const response = await post(FORM, signTelnyxWebhook(keys.privateKey, FORM));
    expect(response.status).toBe(500);
    expect(lines[0]?.message).toContain('mount telnyxVoiceWebhook before body parsers');
  });

  it('throws at start-up without a usable public key', () => {
    expect(() => telnyxVoiceWebhook({ publicKey: '', streamUrl: 'wss://x' })).toThrow(ConfigError);
    expect(() => telnyxVoiceWebhook({ publicKey: 'bm9wZQ==', streamUrl: 'wss://x' })).toThrow(ConfigError);
  });
});
