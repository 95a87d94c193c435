/** Escapes text for an XML attribute value. */
function xmlAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

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
  const params = Object.entries(parameters)
    .map(([name, value]) => `<Parameter name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Response><Connect><Stream url="${xmlAttribute(streamUrl)}">${params}</Stream></Connect></Response>`
  );
}
