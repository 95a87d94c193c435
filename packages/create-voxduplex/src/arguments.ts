import { ScaffoldError } from './errors';
import type { TemplateName } from './templates';

/** What the command line asks for. */
export type CliRequest =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'scaffold';
      /** As typed: relative to the working directory, or absolute. */
      readonly target: string;
      readonly template: TemplateName;
      /** Write into a directory that is not empty. */
      readonly isForced: boolean;
    };

const FLAGS = new Set(['--nest', '--force', '-f', '--help', '-h']);

/**
 * Reads `create-voxduplex <directory> [--nest] [--force]` (or `--help`). Never prompts: a
 * missing directory or an unknown flag is a {@link ScaffoldError} (`usage`), so scripts and CI
 * fail at once instead of waiting for an answer.
 */
export function parseArguments(argv: readonly string[]): CliRequest {
  const flags = new Set<string>();
  const unknown: string[] = [];
  const positionals: string[] = [];
  for (const argument of argv) {
    if (FLAGS.has(argument)) flags.add(argument);
    else if (argument.startsWith('-') && argument !== '-') unknown.push(argument);
    else positionals.push(argument);
  }
  if (flags.has('--help') || flags.has('-h')) return { kind: 'help' };
  if (unknown.length > 0)
    throw new ScaffoldError('usage', `Unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(' ')}.`);
  const [target, ...extra] = positionals;
  if (target === undefined || target.trim() === '')
    throw new ScaffoldError(
      'usage',
      'Name the directory to create, e.g. "npm create voxduplex@latest my-agent".',
    );
  if (extra.length > 0)
    throw new ScaffoldError(
      'usage',
      `Expected one directory, got ${positionals.length}: ${positionals.join(' ')}.`,
    );
  return {
    kind: 'scaffold',
    target,
    template: flags.has('--nest') ? 'nest' : 'express',
    isForced: flags.has('--force') || flags.has('-f'),
  };
}
