import { connectStreamMarkup } from '../webhook/stream-markup';

/**
 * The TeXML that connects a call to a bidirectional media stream: `<Connect><Stream>` in
 * `rtp` mode, PCMU 8 kHz both ways (the codec Telnyx streams and the codec it plays back must
 * be the same: the transport speaks one format per stream), with one `<Parameter>` per entry of
 * `parameters` (they arrive as the `start` message's `custom_parameters`). For L16 at 16 kHz,
 * start the stream with Call Control `streaming_start` instead (see the README).
 *
 * @example
 * ```ts
 * connectStreamTexml('wss://agent.example.com/telnyx/stream', { tenant: 'acme' });
 * ```
 */
export function connectStreamTexml(
  streamUrl: string,
  parameters: Readonly<Record<string, string>> = {},
): string {
  return connectStreamMarkup(
    { url: streamUrl, codec: 'PCMU', bidirectionalMode: 'rtp', bidirectionalCodec: 'PCMU' },
    parameters,
  );
}
