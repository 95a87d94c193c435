import {
  STREAM_PATH,
  startPhoneServer,
  TELNYX_STREAM_PATH,
  TELNYX_WEBHOOK_PATH,
  WEBHOOK_PATH,
} from './phone-server';

const authToken = process.env.TWILIO_AUTH_TOKEN || undefined;
const telnyxPublicKey = process.env.TELNYX_PUBLIC_KEY || undefined;
const streamSecret = process.env.STREAM_SECRET || undefined;
const publicUrl = (process.env.PUBLIC_URL ?? '').replace(/\/+$/, '');
const missing = [
  ...(authToken || telnyxPublicKey
    ? []
    : [
        'TWILIO_AUTH_TOKEN (Twilio console → Account info → Auth Token), or',
        'TELNYX_PUBLIC_KEY (Telnyx Mission Control → Keys & Credentials → Public Key), or both',
      ]),
  ...(telnyxPublicKey && !authToken && !streamSecret
    ? ['STREAM_SECRET (any long random string: it signs the Telnyx stream tokens)']
    : []),
  ...(/^https:\/\//.test(publicUrl)
    ? []
    : ['PUBLIC_URL (the https:// address of your tunnel, e.g. https://abc.trycloudflare.com)']),
];
if (missing.length > 0) {
  console.error(`The phone agent cannot start; set:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  console.error('See examples/telephony/README.md.');
  process.exit(1);
}
const server = await startPhoneServer({
  ...(authToken ? { authToken } : {}),
  ...(telnyxPublicKey ? { telnyxPublicKey } : {}),
  ...(streamSecret ? { streamSecret } : {}),
  publicUrl,
  port: Number(process.env.PORT ?? 3000),
});
const wss = publicUrl.replace(/^http/, 'ws');
console.log(`Phone agent ready on ${server.localUrl} (offline speech: PocketSphinx, demo brain, Flite).`);
if (authToken)
  console.log(
    `Twilio: set your number's "A call comes in" webhook to ${publicUrl}${WEBHOOK_PATH} (HTTP POST); ` +
      `calls stream to ${wss}${STREAM_PATH}.`,
  );
if (telnyxPublicKey)
  console.log(
    `Telnyx: set your TeXML application's voice URL to ${publicUrl}${TELNYX_WEBHOOK_PATH} (POST); ` +
      `calls stream to ${wss}${TELNYX_STREAM_PATH}.`,
  );
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
