import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { buildOrder } from './build.mjs';

const workspace = (
  dependencies: Record<string, string> = {},
  devDependencies: Record<string, string> = {},
) => ({
  dir: '',
  manifest: { dependencies, devDependencies },
});

describe('buildOrder', () => {
  test('puts every workspace after the workspaces it depends on, not alphabetically', () => {
    const order: string[] = buildOrder(
      new Map([
        ['@v/react', workspace({ '@v/web-audio': '^1' })],
        ['@v/web-audio', workspace({ '@v/transport': '^1', '@v/core': '^1' })],
        ['@v/transport', workspace({ '@v/core': '^1', 'socket.io': '^4' })],
        ['@v/core', workspace({}, { vitest: '^4' })],
      ]),
    );
    expect(order).toEqual(['@v/core', '@v/transport', '@v/web-audio', '@v/react']);
  });

  test('refuses a dependency cycle, naming it', () => {
    expect(() =>
      buildOrder(
        new Map([
          ['@v/a', workspace({ '@v/b': '^1' })],
          ['@v/b', workspace({}, { '@v/a': '^1' })],
        ]),
      ),
    ).toThrow('dependency cycle: @v/a → @v/b → @v/a');
  });
});
