import { describe, expect, it } from 'vitest';
import { DemoUsageError, parseDemoArgs } from './offline-args';

describe('the demo command line', () => {
  it('runs the offline conversation with no arguments, the fake one with --fakes', () => {
    expect(parseDemoArgs([])).toEqual({ mode: 'offline' });
    expect(parseDemoArgs(['--fakes'])).toEqual({ mode: 'fakes' });
    expect(parseDemoArgs(['--help'])).toEqual({ mode: 'help' });
  });

  it('runs one turn with --input and --output, in either spelling and order', () => {
    expect(parseDemoArgs(['--input', 'q.wav', '--output', 'r.wav'])).toEqual({
      mode: 'wav',
      input: 'q.wav',
      output: 'r.wav',
    });
    expect(parseDemoArgs(['--output=r.wav', '--input=q.wav'])).toEqual({
      mode: 'wav',
      input: 'q.wav',
      output: 'r.wav',
    });
  });

  it('says what is wrong with a command line it cannot run', () => {
    expect(() => parseDemoArgs(['--input', 'q.wav'])).toThrow(
      new DemoUsageError('--input and --output go together'),
    );
    expect(() => parseDemoArgs(['--input'])).toThrow(/--input needs a file path/);
    expect(() => parseDemoArgs(['--fakes', '--input', 'q.wav', '--output', 'r.wav'])).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(['--verbose'])).toThrow(/unknown option --verbose/);
  });
});
