// `npm run demo`: a spoken conversation with a voice agent that runs entirely on this machine.
// `npm run demo -- --input question.wav --output reply.wav`: one turn on a recording.
// `npm run demo -- --fakes`: the same kind of conversation on the core's fake providers.

import { readFileSync, writeFileSync } from 'node:fs';
import { runFakeConversation } from './demo/fake-conversation';
import { latencyTable } from './demo/latency-table';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs } from './demo/offline-args';
import { OFFLINE_SCRIPT, runOfflineConversation } from './demo/offline-conversation';
import { fatalMessage } from './demo/offline-session';
import { runWavTurn } from './demo/offline-turn';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)}s`;
const printLine = ({ atMs, text }: { atMs: number; text: string }) =>
  console.log(`${seconds(atMs)}  ${text}`);

async function main(): Promise<void> {
  const command = parseDemoArgs(process.argv.slice(2));
  switch (command.mode) {
    case 'help':
      console.log(DEMO_USAGE);
      return;
    case 'fakes': {
      console.log(
        'voxduplex demo: a scripted user talks to the agent (fake STT/LLM/TTS with realistic latencies).',
      );
      console.log('The user asks about the weather, asks for a story, then interrupts it.\n');
      const { turns } = await runFakeConversation({ onLine: printLine });
      console.log('\nPer-turn latency (ms):\n');
      console.log(latencyTable(turns));
      return;
    }
    case 'offline': {
      console.log(
        'voxduplex offline demo: PocketSphinx + Silero VAD → demo brain → Flite, no network, no key.',
      );
      console.log(
        `A scripted user (another Flite voice) says "${OFFLINE_SCRIPT.greeting}", asks for a story, ` +
          `then talks over it: "${OFFLINE_SCRIPT.interruption}".\nAudio goes in and out in real time ` +
          '(simulated microphone and player); takes about 30 s.\n',
      );
      const { turns } = await runOfflineConversation({ onLine: printLine });
      console.log('\nPer-turn latency (ms):\n');
      console.log(latencyTable(turns));
      return;
    }
    case 'wav': {
      const question = readFileSync(command.input);
      console.log(`voxduplex offline demo: one turn on ${command.input} (fed in real time).\n`);
      const result = await runWavTurn(question, { onLine: printLine });
      writeFileSync(command.output, result.replyWav);
      const replySeconds = (result.reply.length / result.sampleRate).toFixed(1);
      console.log(`\nwrote ${command.output}: ${replySeconds} s of reply at ${result.sampleRate} Hz`);
      console.log('\nLatency breakdown (ms):\n');
      console.log(latencyTable([{ label: result.question, metrics: result.metrics }]));
      return;
    }
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof DemoUsageError) console.error(`demo: ${error.message}\n\n${DEMO_USAGE}`);
  else console.error(`\ndemo stopped: ${fatalMessage(error)}`);
  process.exit(1);
}
