import { describe, expect, it } from 'vitest';
import { parseArguments } from './arguments';
import { ScaffoldError } from './errors';

describe('parseArguments', () => {
  it('makes an Express starter in the named directory by default', () => {
    expect(parseArguments(['my-agent'])).toEqual({
      kind: 'scaffold',
      target: 'my-agent',
      template: 'express',
      isForced: false,
    });
  });

  it('takes --nest and --force (or -f) before or after the directory', () => {
    expect(parseArguments(['--nest', 'my-agent', '-f'])).toEqual({
      kind: 'scaffold',
      target: 'my-agent',
      template: 'nest',
      isForced: true,
    });
    expect(parseArguments(['my-agent', '--force'])).toMatchObject({ isForced: true, template: 'express' });
  });

  it('answers --help and -h whatever else is there', () => {
    expect(parseArguments(['--help'])).toEqual({ kind: 'help' });
    expect(parseArguments(['my-agent', '-h', '--bogus'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'Name the directory'],
    [['--nest'], 'Name the directory'],
    [['a', 'b'], 'Expected one directory, got 2'],
    [['my-agent', '--template=react'], 'Unknown option --template=react'],
  ])('refuses %j without prompting: "%s"', (argv, message) => {
    const attempt = () => parseArguments(argv);
    expect(attempt).toThrow(ScaffoldError);
    expect(attempt).toThrow(message);
  });
});
