import {
  OutputFormat,
  ProfanityOption,
  PropertyId,
  SpeechConfig,
} from 'microsoft-cognitiveservices-speech-sdk';
import type { ResolvedAzureSttOptions } from './options';

const PROFANITY = {
  masked: ProfanityOption.Masked,
  removed: ProfanityOption.Removed,
  raw: ProfanityOption.Raw,
};

/**
 * Builds the SDK's `SpeechConfig` for one recognizer. `token` is the bearer token to use, when
 * the options authenticate with tokens.
 */
export function buildSpeechConfig(options: ResolvedAzureSttOptions, token: string | undefined): SpeechConfig {
  let config: SpeechConfig;
  const key = token === undefined ? options.key : undefined;
  if (options.endpoint !== undefined) config = SpeechConfig.fromEndpoint(new URL(options.endpoint), key);
  else if (options.host !== undefined) config = SpeechConfig.fromHost(new URL(options.host), key);
  else if (token !== undefined) config = SpeechConfig.fromAuthorizationToken(token, options.region!);
  else config = SpeechConfig.fromSubscription(options.key!, options.region!);
  if (token !== undefined) config.authorizationToken = token;
  config.speechRecognitionLanguage = options.language;
  config.outputFormat = options.outputFormat === 'detailed' ? OutputFormat.Detailed : OutputFormat.Simple;
  config.setProfanity(PROFANITY[options.profanity]);
  if (options.segmentationSilenceTimeoutMs !== undefined) {
    config.setProperty(
      PropertyId.Speech_SegmentationSilenceTimeoutMs,
      String(options.segmentationSilenceTimeoutMs),
    );
  }
  if (options.languages !== undefined) {
    config.setProperty(PropertyId.SpeechServiceConnection_LanguageIdMode, 'Continuous');
  }
  // With retries left to the SDK, a dropped socket (close 1011) is reconnected and replayed
  // and can hang with no event at all; 0 makes it cancel at once and our own retry takes over.
  config.setProperty('SPEECH-Error-MaxRetryCount', '0');
  if (options.transmitLengthBeforeThrottleMs !== undefined) {
    // (sic) the SDK's own spelling.
    config.setProperty(
      'SPEECH-TransmitLengthBeforThrottleMs',
      String(options.transmitLengthBeforeThrottleMs),
    );
  }
  return config;
}
