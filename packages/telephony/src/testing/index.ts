/**
 * Test tools for phone agents: {@link EmulatedTwilioCall} and {@link EmulatedTelnyxCall}, the
 * carrier's side of a media stream (caller audio in real time, the agent's audio recorded as the
 * caller hears it, marks and clear as the carriers document them), and
 * {@link signTelnyxWebhook} to sign a webhook request as Telnyx does. No network but the
 * loopback to your server.
 */
export {
  type Disorder,
  EmulatedCall,
  type EmulatedLineOptions,
  type HeardFrame,
  type ReceivedMessage,
} from './emulated-call';
export { EmulatedTelnyxCall, type EmulatedTelnyxCallOptions } from './telnyx-emulator';
export { signTelnyxWebhook } from './telnyx-webhook-signer';
export { type EmulatedCallOptions, EmulatedTwilioCall } from './twilio-emulator';
