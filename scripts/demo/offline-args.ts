/** What `npm run demo -- …` was asked to do. */
export type DemoCommand =
  | { readonly mode: 'offline' }
  | { readonly mode: 'fakes' }
  | { readonly mode: 'wav'; readonly input: string; readonly output: string }
  | { readonly mode: 'help' };

export const DEMO_USAGE = `Usage: npm run demo [-- options]

  (no options)                         a scripted spoken conversation on the local engines:
                                       PocketSphinx + Silero VAD → demo brain → Flite
  --input question.wav --output reply.wav
                                       one turn on a recorded question (any rate, channels or
                                       PCM/float encoding); writes the agent's spoken reply
  --fakes                              the conversation on the core's fake providers (no engines)
  --help                               this text`;

/** A command line the demo does not understand; its message says why. */
export class DemoUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoUsageError';
  }
}

/** Reads the demo's command-line arguments (without `node` and the script). */
export function parseDemoArgs(argv: readonly string[]): DemoCommand {
  let input: string | undefined;
  let output: string | undefined;
  let isFakes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new DemoUsageError(`${name} needs a file path`);
      return next;
    };
    if (name === '--help' || name === '-h') return { mode: 'help' };
    else if (name === '--fakes') isFakes = true;
    else if (name === '--input') input = value();
    else if (name === '--output') output = value();
    else throw new DemoUsageError(`unknown option ${arg}`);
  }
  if (isFakes && (input || output)) throw new DemoUsageError('--fakes does not take --input/--output');
  if (isFakes) return { mode: 'fakes' };
  if (input && output) return { mode: 'wav', input, output };
  if (input || output) throw new DemoUsageError('--input and --output go together');
  return { mode: 'offline' };
}
