import { connectStreamMarkup } from '../webhook/stream-markup';

/**
 * The TwiML that connects a call to a bidirectional media stream: `<Connect><Stream url>` with
 * one `<Parameter>` per entry of `parameters` (they arrive as the `start` message's
 * `customParameters`). While the stream lives, Twilio runs no later TwiML: the call ends when the
 * stream does.
 *
 * @example
 * ```ts
 * connectStreamTwiml('wss://agent.example.com/twilio/stream', { from: '+14155550100' });
 * ```
 */
export function connectStreamTwiml(
  streamUrl: string,
  parameters: Readonly<Record<string, string>> = {},
): string {
  return connectStreamMarkup({ url: streamUrl }, parameters);
}
