import { from, type Observable, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Sentence } from '../../frames/agent';
import type { ReplyPiece } from '../pipeline/reply-turn';
import { TurnLog } from '../turn-log';
import { ReplyAssembly } from './reply-assembly';

const ref = { turnId: 't1', speechId: 's1' };
const chunking = { firstChunkMinChars: 4, minChars: 20 };

function collect(pieces$: Observable<ReplyPiece>, assembly: ReplyAssembly): Sentence[] {
  let sentences: Sentence[] = [];
  assembly
    .assemble(pieces$)
    .pipe(toArray())
    .subscribe((all) => (sentences = all));
  return sentences;
}

describe('ReplyAssembly', () => {
  it('cuts streamed text into numbered sentences with the speech ids', () => {
    const assembly = new ReplyAssembly(ref, new TurnLog(), chunking);
    const sentences = collect(from(['Sure, ', 'it is sunny ', 'and warm today. ', 'Enjoy it.']), assembly);
    expect(sentences.map((s) => [s.index, s.displayText])).toEqual([
      [0, 'Sure, '],
      [1, 'it is sunny and warm today. '],
      [2, 'Enjoy it.'],
    ]);
    expect(sentences.every((s) => s.turnId === 't1' && s.speechId === 's1')).toBe(true);
  });

  it('speaks a sentence piece as it is, after the text before it', () => {
    const assembly = new ReplyAssembly(ref, new TurnLog(), chunking);
    const sentences = collect(from(['Well then', { text: 'Hola.', displayText: '¡Hola!' }]), assembly);
    expect(sentences.map((s) => [s.text, s.displayText])).toEqual([
      ['Well then', 'Well then'],
      ['Hola.', '¡Hola!'],
    ]);
  });

  it('a tool call closes the text before it; text after it is the next round', () => {
    const log = new TurnLog();
    const assembly = new ReplyAssembly(ref, log, chunking);
    const pieces$ = new Subject<ReplyPiece>();
    const sentences: Sentence[] = [];
    assembly.assemble(pieces$).subscribe((s) => sentences.push(s));
    pieces$.next('Let me check');
    expect(sentences).toEqual([]);
    assembly.addToolCall({ id: 'c1', name: 'weather', arguments: '{}' });
    expect(sentences.map((s) => s.displayText)).toEqual(['Let me check']);
    pieces$.next('It is sunny.');
    pieces$.complete();
    expect(log.rounds.map((r) => [r.text, r.toolCalls.length])).toEqual([
      ['Let me check', 1],
      ['It is sunny.', 0],
    ]);
    expect(sentences.map((s) => assembly.originOf(s)?.round)).toEqual([log.rounds[0], log.rounds[1]]);
  });

  it('keeps a filler out of the round text and marks its sentence as a filler', () => {
    const log = new TurnLog();
    const assembly = new ReplyAssembly(ref, log, chunking);
    const [filler] = collect(
      from([{ text: 'One moment.', displayText: 'One moment.', isFiller: true }]),
      assembly,
    );
    expect(assembly.originOf(filler!)?.isFiller).toBe(true);
    expect(log.rounds[0]!.text).toBe('');
  });

  it('places a sentence a stage made anew with the latest sentence that went in', () => {
    const assembly = new ReplyAssembly(ref, new TurnLog(), chunking);
    collect(from(['One. ', 'Two.']), assembly);
    expect(assembly.originOf({ index: 1 })).toBeDefined();
    expect(assembly.originOf({ index: 99 })).toBe(assembly.originOf({ index: 1 }));
  });

  it('fails with a typed error naming the reply stage for a piece that is not text', () => {
    const assembly = new ReplyAssembly(ref, new TurnLog(), chunking);
    let failure: unknown;
    assembly.assemble(from([42 as unknown as ReplyPiece])).subscribe({ error: (e) => (failure = e) });
    expect(failure).toMatchObject({ code: 'pipeline_stage_failed', source: 'pipeline:reply' });
  });
});
