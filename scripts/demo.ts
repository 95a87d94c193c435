// `npm run demo`: a scripted voice conversation through the voxduplex core, in the terminal.

import { runFakeConversation } from './demo/fake-conversation';
import { latencyTable } from './demo/latency-table';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)}s`;

console.log(
  'voxduplex demo: a scripted user talks to the agent (fake STT/LLM/TTS with realistic latencies).',
);
console.log('The user asks about the weather, asks for a story, then interrupts it.\n');
const { turns } = await runFakeConversation({
  onLine: ({ atMs, text }) => console.log(`${seconds(atMs)}  ${text}`),
});
console.log('\nPer-turn latency (ms):\n');
console.log(latencyTable(turns));
