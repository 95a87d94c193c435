import { basename, relative, resolve } from 'node:path';
import { parseArguments } from './arguments';
import { ScaffoldError } from './errors';
import { assertNodeVersion } from './node-version';
import { packageNameFor } from './project-name';
import { scaffold } from './scaffold';
import { TEMPLATE_TITLES } from './templates';
import { USAGE } from './usage';

/** What the command runs in: injected so tests can run it in-process. */
export interface CliEnvironment {
  readonly cwd: string;
  /** `process.versions.node`. */
  readonly nodeVersion: string;
  readonly print: (text: string) => void;
  readonly printError: (text: string) => void;
}

/** The Debian line for PocketSphinx's libraries and model (the offline recognizer's only system need). */
const POCKETSPHINX_APT_LINE =
  'sudo apt-get install -y --no-install-recommends libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us';

/**
 * `create-voxduplex <directory> [--nest] [--force]`: checks Node, writes the starter, prints
 * the next steps. Returns the exit status: 0 done (or `--help`), 1 on anything the user must
 * fix, said in one message on `printError`.
 */
export function runCli(argv: readonly string[], environment: CliEnvironment): number {
  try {
    assertNodeVersion(environment.nodeVersion);
    const request = parseArguments(argv);
    if (request.kind === 'help') {
      environment.print(USAGE);
      return 0;
    }
    const targetDir = resolve(environment.cwd, request.target);
    const projectName = packageNameFor(basename(targetDir));
    const { files } = scaffold({
      targetDir,
      template: request.template,
      projectName,
      isForced: request.isForced,
    });
    const shownDir = relative(environment.cwd, targetDir) || '.';
    const steps = [
      ...(shownDir === '.' ? [] : [`cd ${/\s/.test(shownDir) ? JSON.stringify(shownDir) : shownDir}`]),
      'npm install',
      'npm run dev',
    ].join(' && ');
    environment.print(
      [
        `Created ${projectName} in ${targetDir}: ${TEMPLATE_TITLES[request.template]} voice agent, ` +
          `offline by default (${files.length} files).`,
        '',
        'Next:',
        `  ${steps}`,
        '',
        'Then open the page Vite prints, press Talk and speak. The offline recognizer needs',
        'PocketSphinx from your system (Debian/Ubuntu):',
        `  ${POCKETSPHINX_APT_LINE}`,
        'README.md says how to switch to OpenAI, Google or Azure.',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!ScaffoldError.isInstance(error)) throw error;
    environment.printError(error.code === 'usage' ? `${error.message}\n\n${USAGE}` : error.message);
    return 1;
  }
}
