import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the README', () => {
  it('shows every file of src/ exactly as it is, so the app can be copied from it', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shown = new Map(
      [...readme.matchAll(/^### `(src\/[^`]+)`\n[\s\S]*?^```ts\n([\s\S]*?)^```$/gm)].map(
        ([, file, code]) => [file!, code!] as const,
      ),
    );
    const files = readdirSync(join(root, 'src')).map((name) => `src/${name}`);
    expect([...shown.keys()].sort()).toEqual(files.sort());
    for (const [file, code] of shown) expect(code, file).toBe(readFileSync(join(root, file), 'utf8'));
  });
});
