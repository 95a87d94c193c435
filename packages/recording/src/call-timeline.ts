import type {
  CallTranscript,
  RecordedProviderChange,
  RecordedSpan,
  RecordedSpeech,
  RecordedTurn,
} from './call-transcript';

/** How {@link formatCallTimeline} draws. */
export interface CallTimelineOptions {
  /** Width of the who-spoke-when strip, in characters (default 72; 0 leaves it out). */
  readonly width?: number;
}

/**
 * A recorded call as text, for a terminal: a strip showing who spoke when, then each turn —
 * what the user said, what the agent said and what of it was heard, where it was cut, its tool
 * calls, and the turn's latency.
 *
 * ```
 * user  │  ██████        ████████                 │
 * agent │         ██████          ███             │
 * 0:02.0–0:03.6  user   what is the weather in paris
 * 0:04.1–0:06.3  agent  Sure. It is sunny today.
 *                latency: end of turn 300 ms · LLM first token 300 ms · TTS first audio 150 ms · …
 * ```
 */
export function formatCallTimeline(transcript: CallTranscript, options: CallTimelineOptions = {}): string {
  const width = options.width ?? 72;
  const lines = [
    `Call ${transcript.sessionId} — ${transcript.startedAt}, ${clock(transcript.durationMs)} long, ${transcript.turns.length} turns`,
  ];
  if (transcript.endReason === undefined)
    lines.push(
      '(the recording never ended — the process stopped mid-call: shown up to its last journal entry)',
    );
  if (width > 0) lines.push('', ...strip(transcript, width));
  for (const turn of transcript.turns) lines.push('', ...turnLines(turn));
  if (transcript.errors.length > 0 || (transcript.providerChanges ?? []).length > 0) lines.push('');
  for (const error of transcript.errors)
    lines.push(`${clock(error.atMs)}  error  ${error.code}: ${error.message}`);
  for (const change of transcript.providerChanges ?? []) lines.push(providerLine(change));
  return lines.join('\n');
}

function providerLine(change: RecordedProviderChange): string {
  const what =
    change.type === 'switched'
      ? `${change.from} → ${change.to} (${change.code})`
      : `${change.provider} back after ${(change.downMs / 1000).toFixed(1)} s`;
  return `${clock(change.atMs)}  ${change.kind.padEnd(5)}  ${change.chain}: ${what}`;
}

/** `m:ss.d` */
function clock(ms: number): string {
  const tenths = Math.round(ms / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${minutes}:${seconds}`;
}

function span({ startMs, endMs }: Partial<RecordedSpan>): string {
  if (startMs === undefined) return '?'.padEnd(13);
  return endMs === undefined ? clock(startMs).padEnd(13) : `${clock(startMs)}–${clock(endMs)}`;
}

function strip(transcript: CallTranscript, width: number): string[] {
  const user = Array<string>(width).fill(' ');
  const agent = Array<string>(width).fill(' ');
  const scale = width / Math.max(1, transcript.durationMs);
  const mark = (row: string[], { startMs, endMs }: Partial<RecordedSpan>) => {
    if (startMs === undefined || endMs === undefined) return;
    const last = Math.min(width - 1, Math.floor(endMs * scale));
    for (let at = Math.floor(startMs * scale); at <= last; at++) row[at] = '█';
  };
  for (const turn of transcript.turns) {
    for (const utterance of turn.utterances) mark(user, utterance);
    for (const speech of turn.speeches) mark(agent, speech);
  }
  return [`user  │${user.join('')}│`, `agent │${agent.join('')}│`];
}

const INDENT = ' '.repeat(15);

function turnLines(turn: RecordedTurn): string[] {
  const lines: string[] = [];
  for (const utterance of turn.utterances) lines.push(`${span(utterance)}  user   ${utterance.text}`);
  if (turn.utterances.length === 0 && turn.userText !== undefined)
    lines.push(`${span({ startMs: turn.atMs })}  user   ${turn.userText} (typed)`);
  for (const call of turn.toolCalls) {
    const outcome = call.isError ? 'failed' : call.endMs === undefined ? 'cancelled' : 'ok';
    lines.push(`${span(call)}  tool   ${call.name}(${call.arguments}) ${outcome}`);
  }
  for (const speech of turn.speeches) lines.push(...speechLines(speech));
  const latency = latencyLine(turn);
  if (latency) lines.push(`${INDENT}latency: ${latency}`);
  return lines;
}

function speechLines(speech: RecordedSpeech): string[] {
  const lines = [`${span(speech)}  agent  ${speech.text ?? ''}`];
  if (speech.interrupted || (speech.heardText !== undefined && speech.heardText !== speech.text)) {
    const cut = speech.controls.find((control) => control.type === 'interrupt');
    const where = cut ? ` at ${clock(cut.atMs)} (${cut.source ?? 'interrupt'})` : '';
    lines.push(
      `${INDENT}cut after ${((speech.playedMs ?? 0) / 1000).toFixed(1)} s${where}; heard: ${speech.heardText || '(nothing)'}`,
    );
  }
  const pauses = speech.controls.filter((control) => control.type === 'pause').length;
  const resumes = speech.controls.filter((control) => control.type === 'resume').length;
  if (resumes > 0) lines.push(`${INDENT}paused ${pauses}×, resumed ${resumes}× (backchannel or noise)`);
  return lines;
}

const LATENCIES: readonly [keyof NonNullable<RecordedTurn['metrics']>, string][] = [
  ['endOfUtteranceDelayMs', 'end of turn'],
  ['llmTtftMs', 'LLM first token'],
  ['ttsTtfbMs', 'TTS first audio'],
  ['serverTtfaMs', 'server first audio'],
  ['voiceToVoiceMs', 'voice to voice'],
  ['interruptCommitMs', 'interrupt'],
];

function latencyLine(turn: RecordedTurn): string {
  const metrics = turn.metrics;
  if (!metrics) return '';
  return LATENCIES.filter(([field]) => typeof metrics[field] === 'number')
    .map(([field, label]) => `${label} ${Math.round(metrics[field] as number)} ms`)
    .join(' · ');
}
