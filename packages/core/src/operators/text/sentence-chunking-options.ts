import { z } from 'zod';
import { ConfigError, describeSchemaIssues } from '../../errors/families';
import { DEFAULT_ABBREVIATIONS } from './sentence-boundary';

/** How agent text is cut into chunks for speech synthesis. Character counts are of the cleaned text. */
export interface SentenceChunkingOptions {
  /**
   * The first chunk of a speech leaves at the first sentence or clause boundary (`,;:—`) once it
   * holds this many characters. Small values cut time to first audio. Default 4.
   */
  readonly firstChunkMinChars?: number;
  /** Later chunks leave at the first sentence boundary once they hold this many characters. Default 20. */
  readonly minChars?: number;
  /**
   * Words whose period does not end a sentence, matched case-insensitively. Replaces the default
   * list: pass `[...DEFAULT_ABBREVIATIONS, 'Inc.']` to extend it.
   */
  readonly abbreviations?: readonly string[];
}

/** {@link SentenceChunkingOptions} with the defaults filled in, abbreviations normalized. */
export interface ResolvedSentenceChunking {
  readonly firstChunkMinChars: number;
  readonly minChars: number;
  /** Lowercased, each ending in one period. */
  readonly abbreviations: ReadonlySet<string>;
}

const optionsSchema = z.object({
  firstChunkMinChars: z.number().int().nonnegative().default(4),
  minChars: z.number().int().nonnegative().default(20),
  abbreviations: z
    .array(z.string().trim().min(1, 'an abbreviation cannot be empty'))
    .readonly()
    .default(DEFAULT_ABBREVIATIONS),
});

/**
 * Validates options and fills in defaults.
 * @throws {ConfigError} listing every invalid field.
 */
export function resolveSentenceChunking(options: SentenceChunkingOptions = {}): ResolvedSentenceChunking {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    throw new ConfigError('Invalid sentence chunking options', describeSchemaIssues(result.error));
  }
  const { firstChunkMinChars, minChars, abbreviations } = result.data;
  return {
    firstChunkMinChars,
    minChars,
    abbreviations: new Set(abbreviations.map((word) => `${word.toLowerCase().replace(/\.+$/, '')}.`)),
  };
}
