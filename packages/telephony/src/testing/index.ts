/**
 * Test tools for phone agents: {@link EmulatedTwilioCall}, Twilio's side of a Media Stream
 * (caller audio in real time, the agent's audio recorded as the caller hears it, marks and
 * clear as Twilio documents them). No network but the loopback to your server.
 */
export {
  type EmulatedCallOptions,
  EmulatedTwilioCall,
  type HeardFrame,
  type ReceivedMessage,
} from './twilio-emulator';
