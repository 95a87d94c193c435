import { createVoiceSession } from '@voxduplex/core';
import { FakeStt, FakeTts, runVirtualTime, type ScriptedUtterance, silence } from '@voxduplex/core/testing';
import { DemoBrain } from '@voxduplex/demo-brain';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { CAFE_INSTRUCTIONS, freeTables } from './cafe';
import { DcMeter, withDcOffset } from './dc-meter';
import { cafePipeline } from './pipeline';
import { ConversationPrinter } from './printer';
import { spokenLine, USER_SCRIPT } from './script';

const MS_PER_WORD = 300;
/** Room for the agent's answer between two lines of the script. */
const LINE_GAP_MS = 7000;
const MIC_DC_OFFSET = 2000;

/** Options of {@link runFakes}. */
export interface FakeRunOptions {
  readonly language: 'en' | 'es';
  /** Where the lines go; default `console.log`. */
  readonly write?: (line: string) => void;
}

/**
 * The same conversation on the core's fakes, in virtual time (it runs at once): `FakeStt`
 * "hears" the script's words on the audio timeline, `FakeTts` makes tones, the demo brain
 * answers what the FAQ does not know. For machines without PocketSphinx, and for tests.
 */
export async function runFakes(options: FakeRunOptions): Promise<void> {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const printer = new ConversationPrinter(() => scheduler.now(), options.write);
  const meter = new DcMeter();
  const { utterances, endMs } = placeScript();
  const session = createVoiceSession({
    stt: new FakeStt({ utterances, msPerWord: MS_PER_WORD, finalDelayMs: 120, scheduler }),
    llm: new DemoBrain({ scheduler }),
    tts: new FakeTts({ ttfbMs: 150, msPerChar: 55, chunkMs: 100, realtimeFactor: 0.2, scheduler }),
    scheduler,
    instructions: CAFE_INSTRUCTIONS,
    tools: [freeTables],
    pipeline: cafePipeline({
      language: options.language,
      onSpoken: (sentence) => printer.spoken(sentence),
      onFiltered: meter.measure,
    }),
  });
  session.events$.subscribe((event) => printer.event(event));
  for (const { line, startMs } of linesAt(utterances))
    scheduler.schedule(() => {
      printer.line('', `— ${line.shows}`);
      printer.line('user', `says "${spokenLine(line)}"`);
    }, startMs);
  // A microphone with a DC offset, one 20 ms frame every 20 ms of virtual time.
  for (let startMs = 0; startMs < endMs; startMs += 20) {
    const samples = withDcOffset(silence(20, 16000), MIC_DC_OFFSET);
    scheduler.schedule(() => session.pushAudio({ samples, sampleRate: 16000 }), startMs + 20);
  }
  await runVirtualTime(scheduler);
  printer.line('mic', `DC offset ${MIC_DC_OFFSET}; ${meter.summary()}`);
  printer.history(session.history);
  session.close('demo finished');
}

/** The script on the audio timeline: each line after the previous one's answer. */
function placeScript(): { utterances: ScriptedUtterance[]; endMs: number } {
  const utterances: ScriptedUtterance[] = [];
  let atMs = 500;
  for (const line of USER_SCRIPT) {
    for (const part of line.parts) {
      utterances.push({ text: part, startMs: atMs });
      atMs += part.split(' ').length * MS_PER_WORD + (line.pauseMs ?? 0);
    }
    atMs += LINE_GAP_MS - (line.pauseMs ?? 0);
  }
  return { utterances, endMs: atMs };
}

/** When each script line starts (its first part). */
function linesAt(utterances: readonly ScriptedUtterance[]) {
  let index = 0;
  return USER_SCRIPT.map((line) => {
    const startMs = utterances[index]!.startMs;
    index += line.parts.length;
    return { line, startMs };
  });
}
