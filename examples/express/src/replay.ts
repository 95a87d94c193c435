// `npm run replay -- recordings/<session>.json`: a recorded call's timeline in the terminal.
import { readFileSync } from 'node:fs';
import { type CallTranscript, formatCallTimeline } from '@voxduplex/recording';

const path = process.argv[2];
if (!path) {
  console.error('usage: npm run replay -- <recording.json>  (written when VOX_RECORD_DIR is set)');
  process.exit(1);
}
const transcript = JSON.parse(readFileSync(path, 'utf8')) as CallTranscript;
console.log(formatCallTimeline(transcript));
