// `npm run replay -- recordings/<session>.json`: a recorded call's timeline in the terminal.
// Also `recordings/<session>.jsonl`, the journal a server that stopped mid-call left behind: the
// call up to its last second or so; the WAV beside it gets its header sizes repaired.
import { existsSync, readFileSync } from 'node:fs';
import { type CallTranscript, formatCallTimeline, readCallJournal, repairWav } from '@voxduplex/recording';

const path = process.argv[2];
if (!path) {
  console.error(
    'usage: npm run replay -- <recording.json | recording.jsonl>  (written when VOX_RECORD_DIR is set)',
  );
  process.exit(1);
}
const text = readFileSync(path, 'utf8');
const transcript: CallTranscript = path.endsWith('.jsonl')
  ? readCallJournal(text)
  : (JSON.parse(text) as CallTranscript);
const wavPath = path.replace(/\.jsonl?$/, '.wav');
if (transcript.endReason === undefined && existsSync(wavPath)) {
  const wav = await repairWav(wavPath);
  // The audio runs on past the last journal entry: the call lasted as long as its recording.
  transcript.durationMs = Math.max(transcript.durationMs, wav.durationMs);
  if (wav.wasRepaired)
    console.log(`Repaired the header of ${wavPath}: ${(wav.durationMs / 1000).toFixed(1)} s of audio.`);
}
console.log(formatCallTimeline(transcript));
