import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from './tool-call-assembler';

describe('ToolCallAssembler', () => {
  it('joins interleaved fragments of parallel calls by index', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ index: 1, id: 'b', function: { name: 'lookup', arguments: '{"q":' } });
    assembler.add({ index: 0, id: 'a', function: { name: 'weather', arguments: '{"ci' } });
    assembler.add({ index: 1, function: { arguments: '"x"}' } });
    assembler.add({ index: 0, function: { arguments: 'ty":"Rome"}' } });

    expect(assembler.calls()).toEqual([
      { id: 'a', name: 'weather', arguments: '{"city":"Rome"}' },
      { id: 'b', name: 'lookup', arguments: '{"q":"x"}' },
    ]);
  });

  it('keeps calls that arrive whole without an index apart by id', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ id: 'x', function: { name: 'one', arguments: '{"n":1}' } });
    assembler.add({ id: 'y', function: { name: 'two', arguments: '{"n":2}' } });

    expect(assembler.calls()).toEqual([
      { id: 'x', name: 'one', arguments: '{"n":1}' },
      { id: 'y', name: 'two', arguments: '{"n":2}' },
    ]);
  });

  it('continues the last call when an index-less fragment has no id', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ id: 'x', function: { name: 'one', arguments: '{"n"' } });
    assembler.add({ function: { arguments: ':1}' } });

    expect(assembler.calls()).toEqual([{ id: 'x', name: 'one', arguments: '{"n":1}' }]);
  });

  it('names calls without an id by position and turns empty arguments into {}', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ index: 0, function: { name: 'clock' } });

    expect(assembler.hasCalls).toBe(true);
    expect(assembler.calls()).toEqual([{ id: 'call_0', name: 'clock', arguments: '{}' }]);
  });

  it('has no calls until a fragment arrives', () => {
    expect(new ToolCallAssembler().hasCalls).toBe(false);
    expect(new ToolCallAssembler().calls()).toEqual([]);
  });
});
