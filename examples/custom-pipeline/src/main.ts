// `npm start -w examples/custom-pipeline`: a café's voice agent built from four custom pipeline
// stages, in a scripted conversation that runs entirely on this machine.
//   -- --spanish   the toy translation instead of the word filter
//   -- --fakes     the core's fake STT/TTS in virtual time (instant; no PocketSphinx needed)

import { runFakes } from './fake-run';
import { isMissingDependency, runOffline } from './offline-run';

const USAGE = 'usage: npm start -w examples/custom-pipeline [-- --spanish] [-- --fakes]';

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((arg) => !['--spanish', '--fakes', '--help'].includes(arg));
if (args.has('--help') || unknown.length > 0) {
  if (unknown.length > 0) console.error(`unknown option ${unknown.join(', ')}`);
  console.log(USAGE);
  process.exit(unknown.length > 0 ? 1 : 0);
}
const language = args.has('--spanish') ? 'es' : 'en';

console.log(
  'voxduplex custom pipeline: a café agent with four custom stages —\n' +
    `  audioIn     removeDc(): a high-pass filter takes the microphone's DC offset out\n` +
    '  endOfTurn   holdAfterConjunction(): waits longer when the words end in "and", "but", "so"…\n' +
    '  reply       faqAgent(): a rule-based FAQ (an async generator), the LLM for the rest\n' +
    `  sentences   ${language === 'es' ? 'translateSentences(): a toy English → Spanish' : 'filterWords(): "bloody" is spoken as a bleep, shown as asterisks'}\n`,
);

try {
  if (args.has('--fakes')) await fakes();
  else {
    console.log(
      'Offline engines: PocketSphinx + Silero VAD hear a scripted user (a Flite voice), Flite speaks.\n' +
        'Real time, about 30 s. "to TTS" is what the agent says, "shown" what a screen and the history get.\n',
    );
    await runOffline(language);
  }
} catch (error) {
  if (!isMissingDependency(error)) {
    console.error(`\nstopped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    process.exit(1);
  }
  console.log(`\nThe offline engines cannot run on this machine: ${error.message}`);
  console.log('(scripts/setup.sh installs every system package voxduplex uses.)');
  await fakes();
}

async function fakes(): Promise<void> {
  console.log(
    "\nOn the core's fakes: FakeStt “hears” the script, FakeTts makes tones, the demo brain answers\n" +
      'what the FAQ does not know. Virtual time: it runs at once.\n',
  );
  await runFakes({ language });
}
