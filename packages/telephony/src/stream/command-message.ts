import type { StreamCommand } from './media-stream';

/** A {@link StreamCommand} as the JSON message Twilio and Telnyx both take (Twilio adds its `streamSid`). */
export type CommandMessage =
  | { readonly event: 'media'; readonly media: { readonly payload: string } }
  | { readonly event: 'mark'; readonly mark: { readonly name: string } }
  | { readonly event: 'clear' };

/** One command → its message: audio as base64, a mark by name, or a clear. */
export function commandMessage(command: StreamCommand): CommandMessage {
  if (command.type === 'media')
    return { event: 'media', media: { payload: Buffer.from(command.payload).toString('base64') } };
  if (command.type === 'mark') return { event: 'mark', mark: { name: command.name } };
  return { event: 'clear' };
}
