import { STREAM_PATH, startPhoneServer, WEBHOOK_PATH } from './phone-server';

const authToken = process.env.TWILIO_AUTH_TOKEN ?? '';
const publicUrl = (process.env.PUBLIC_URL ?? '').replace(/\/+$/, '');
const missing = [
  ...(authToken ? [] : ['TWILIO_AUTH_TOKEN (Twilio console → Account info → Auth Token)']),
  ...(/^https:\/\//.test(publicUrl)
    ? []
    : ['PUBLIC_URL (the https:// address of your tunnel, e.g. https://abc.trycloudflare.com)']),
];
if (missing.length > 0) {
  console.error(`The phone agent cannot start; set:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  console.error('See examples/telephony/README.md.');
  process.exit(1);
}
const server = await startPhoneServer({ authToken, publicUrl, port: Number(process.env.PORT ?? 3000) });
console.log(
  `Phone agent ready on ${server.localUrl} (offline speech: PocketSphinx, demo brain, Flite).\n` +
    `Set your Twilio number's "A call comes in" webhook to ${publicUrl}${WEBHOOK_PATH} (HTTP POST);\n` +
    `calls stream to ${publicUrl.replace(/^http/, 'ws')}${STREAM_PATH}.`,
);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
