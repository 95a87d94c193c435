// Barge-in in a room, on the local stack (PocketSphinx + Silero → demo brain → Flite slt), through
// a real session fed in real time (packages/offline-e2e `ListeningRoom`): the user asks for the
// story, and over the agent's voice says
// - backchannels ("mhm", "uh-huh", "yeah", "right", "okay") at several points of the speech:
//   `bargein.backchannel_false_interrupts` counts the ones that cut the agent;
// - real interruptions, with and without the agent's echo in the mic:
//   `bargein.missed_interrupts` (% not cut within 3 s of the voice ending) and
//   `bargein.reaction_ms.p50/.p95` (the user's voice onset in the pushed audio → the agent's
//   pause or interrupt control, i.e. its audio silenced; not counted where the echo had already
//   paused the agent when the voice began — those count as `bargein.echo_false_pauses`);
// - stop phrases: `bargein.stop_phrase_replies` counts the ones the agent answered;
// and, with nobody talking, the agent's own voice comes back into the mic at −6/−12/−20 dB with
// 20–150 ms of delay, band-limited: `bargein.echo_false_interrupts` counts interrupts at −12 dB
// and quieter (−6 dB is reported apart). The user's clips are the clean ones of the repo's
// acoustic set (packages/acoustic-set: Flite voices other than the agent's, espeak-ng variants).
// BARGEIN_QUICK=1 runs one clip of each kind (a smoke run, figures not meaningful);
// BARGEIN_PARTS=backchannel,stop runs only those parts (backchannel, interruption, echo-cut,
// stop, echo) and writes bench/results/bargein-parts.json.
import { loadavg } from 'node:os';
import { type AcousticSet, ensureAcousticSet, selectClips } from '@voxduplex/acoustic-set';
import { createVoiceSession } from '@voxduplex/core';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import {
  type BargeInCue,
  type CueOutcome,
  EventLog,
  isStillSpeaking,
  ListeningRoom,
  type ListeningRoomOptions,
  listenQuietly,
  overAgentSpeech,
  sayOver,
  speakAsUser,
} from '@voxduplex/offline-e2e';
import { type BenchResult, quantileResults, report, result } from './harness';

const QUICK = process.env.BARGEIN_QUICK === '1';
const PARTS = process.env.BARGEIN_PARTS?.split(',');
/** Whether this run measures `part` (all of them unless BARGEIN_PARTS names some). */
const runs = (part: 'backchannel' | 'interruption' | 'echo-cut' | 'stop' | 'echo') =>
  !PARTS || PARTS.includes(part);
const STORY_REQUEST = 'please tell me a story';
const ECHO_LEVELS_DB = [-6, -12, -20];
const ECHO_DELAYS_MS = [20, 80, 150];
const CUE_GAP_MS = 1500;
const ECHO_LISTEN_MS = 8000;

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The set's clean clips of one kind, as cues (one of them in a quick run). */
function cues(set: AcousticSet, kind: BargeInCue['kind']): BargeInCue[] {
  const all = selectClips(set, { kind, noise: 'clean' }).map((clip) => ({
    kind,
    text: clip.text,
    voice: clip.voice,
    samples: clip.samples,
  }));
  return QUICK ? all.slice(0, 1) : all;
}

/** One session in one room; `run` gets them and the log, everything is closed after. */
async function inRoom<T>(
  stack: LocalStack,
  options: ListeningRoomOptions,
  run: (room: ListeningRoom, log: EventLog) => Promise<T>,
): Promise<T> {
  const session = createVoiceSession({ ...stack.sessionConfig });
  const log = new EventLog(session);
  const room = new ListeningRoom(session, options);
  room.start();
  try {
    await sleep(300);
    return await run(room, log);
  } finally {
    room.stop();
    log.stop();
    session.close('bench over');
  }
}

/** Backchannels over the story, a few per telling; one that cuts the story costs a new telling. */
async function backchannelOutcomes(
  stack: LocalStack,
  request: Int16Array,
  list: BargeInCue[],
): Promise<CueOutcome[]> {
  return inRoom(stack, {}, async (room, log) => {
    const pending = [...list];
    const outcomes: CueOutcome[] = [];
    while (pending.length > 0) {
      const told = await overAgentSpeech(room, log, request, async (speechId) => {
        const heard: CueOutcome[] = [];
        while (pending.length > 0 && isStillSpeaking(log, speechId)) {
          await sleep(CUE_GAP_MS);
          if (isStillSpeaking(log, speechId))
            heard.push(await sayOver(room, log, speechId, pending.shift()!));
        }
        return heard;
      });
      // A story that never started (the request misheard): the cue is skipped, not retried forever.
      if (!told || told.length === 0) pending.shift();
      outcomes.push(...(told ?? []));
    }
    return outcomes;
  });
}

async function cutOutcomes(
  stack: LocalStack,
  request: Int16Array,
  list: BargeInCue[],
  options: ListeningRoomOptions = {},
): Promise<CueOutcome[]> {
  return inRoom(stack, options, async (room, log) => {
    const outcomes: CueOutcome[] = [];
    for (const [i, cue] of list.entries()) {
      const outcome = await overAgentSpeech(room, log, request, async (speechId) => {
        await sleep(1500 + (i % 3) * 1000); // at different points of the story
        return sayOver(room, log, speechId, cue);
      });
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  });
}

async function echoOutcomes(stack: LocalStack, request: Int16Array) {
  const rows: { gainDb: number; delayMs: number; pauses: number; interrupts: number }[] = [];
  const levels = QUICK ? [-12] : ECHO_LEVELS_DB;
  const delays = QUICK ? [80] : ECHO_DELAYS_MS;
  for (const gainDb of levels)
    for (const delayMs of delays) {
      const quiet = await inRoom(stack, { echo: { gainDb, delayMs } }, (room, log) =>
        overAgentSpeech(room, log, request, (speechId) => listenQuietly(log, speechId, ECHO_LISTEN_MS)),
      );
      rows.push({ gainDb, delayMs, pauses: quiet?.pauses ?? 0, interrupts: quiet?.interrupts ?? 0 });
    }
  return rows;
}

export default async function bargeInBench(): Promise<readonly BenchResult[]> {
  console.log(`bargein: load average before ${load()}`);
  const [request] = await speakAsUser([STORY_REQUEST], 'rms');
  const set = ensureAcousticSet();
  const backchannels = cues(set, 'backchannel');
  const interruptions = cues(set, 'interruption');
  const stops = cues(set, 'stop');
  const stack = createLocalStack({ ttsPoolSize: 1 });
  try {
    await stack.warmUp();
    const bc = runs('backchannel') ? await backchannelOutcomes(stack, request!, backchannels) : [];
    const cuts = runs('interruption') ? await cutOutcomes(stack, request!, interruptions) : [];
    const cutsWithEcho = runs('echo-cut')
      ? await cutOutcomes(stack, request!, interruptions, { echo: { gainDb: -12, delayMs: 80 } })
      : [];
    const stopped = runs('stop') ? await cutOutcomes(stack, request!, stops) : [];
    const echo = runs('echo') ? await echoOutcomes(stack, request!) : [];
    console.log(`bargein: load average after ${load()}`);

    const show = (label: string, list: readonly CueOutcome[]) => {
      console.log(`\n${label}`);
      console.table(
        list.map((o) => ({
          cue: `${o.cue.text} (${o.cue.voice})`,
          paused: o.wasPaused,
          pausedBefore: o.wasPausedBefore,
          interrupted: o.wasInterrupted,
          answered: o.wasAnswered,
          heard: o.turns.join(' | '),
          transcripts: o.transcripts.join(' '),
          reactionMs: o.reactionMs === undefined ? '' : Math.round(o.reactionMs),
          onsetHeardMs: o.onsetHeardMs === undefined ? '' : Math.round(o.onsetHeardMs),
        })),
      );
    };
    show('backchannels', bc);
    show('interruptions', cuts);
    show('interruptions under a -12 dB echo', cutsWithEcho);
    show('stop phrases', stopped);
    console.log('\necho alone (nobody talking)');
    console.table(echo);

    const allCuts = [...cuts, ...cutsWithEcho, ...stopped];
    const reactions = allCuts.flatMap((o) =>
      o.wasInterrupted && o.reactionMs !== undefined ? [o.reactionMs] : [],
    );
    const missed = allCuts.filter((o) => !o.wasInterrupted).length;
    const quietEcho = echo.filter((r) => r.gainDb <= -12);
    const echoPauses =
      quietEcho.reduce((sum, r) => sum + r.pauses, 0) + cutsWithEcho.filter((o) => o.wasPausedBefore).length;
    const results = [
      result(
        'bargein.backchannel_false_interrupts',
        bc.filter((o) => o.wasInterrupted || o.wasAnswered).length,
        `of ${bc.length}`,
        '0',
      ),
      result(
        'bargein.echo_false_interrupts',
        quietEcho.reduce((sum, r) => sum + r.interrupts, 0),
        `of ${quietEcho.length} echo runs at −12 dB and quieter`,
        '0',
      ),
      result(
        'bargein.echo_false_pauses',
        echoPauses,
        `pauses in ${quietEcho.length} echo runs at −12 dB and quieter and before ${cutsWithEcho.length} interruptions under a −12 dB echo`,
        '0',
      ),
      result(
        'bargein.echo_false_interrupts_at_6db',
        echo.filter((r) => r.gainDb > -12).reduce((sum, r) => sum + r.interrupts, 0),
        `of ${echo.filter((r) => r.gainDb > -12).length} echo runs at −6 dB`,
        'report',
      ),
      result(
        'bargein.missed_interrupts',
        allCuts.length === 0 ? 0 : (100 * missed) / allCuts.length,
        `% of ${allCuts.length}`,
        '≤ 2 %',
      ),
      ...quantileResults('bargein.reaction_ms', reactions, 'ms', { p50: '≤ 250', p95: '≤ 400' }),
      result(
        'bargein.stop_phrase_replies',
        stopped.filter((o) => o.wasAnswered).length,
        `of ${stopped.length}`,
        '0',
      ),
    ];
    report(QUICK ? 'bargein-quick' : PARTS ? 'bargein-parts' : 'bargein', results);
    return results;
  } finally {
    await stack.close();
  }
}
