import { describe, expect, it } from 'vitest';
import { packageNameFor } from './project-name';

describe('packageNameFor', () => {
  it.each([
    ['my-agent', 'my-agent'],
    ['My Agent', 'my-agent'],
    ['  Voice_Bot.v2  ', 'voice_bot.v2'],
    ['.hidden', 'hidden'],
    ['agent (copy)', 'agent-copy'],
  ])('names the folder %j package %j', (folder, name) => {
    expect(packageNameFor(folder)).toBe(name);
  });

  it('refuses a folder name with nothing npm accepts', () => {
    expect(() => packageNameFor('___')).toThrow('cannot be made into an npm package name');
  });
});
