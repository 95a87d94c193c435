import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The client entry ships to browsers: its files and the protocol files it re-exports may import
// only socket.io-client, zod and @voxduplex/core, and may not touch Node globals.
const dirs = [import.meta.dirname, join(import.meta.dirname, '../protocol')];
const sources = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') })),
);

describe('the client entry is browser-safe', () => {
  it('imports nothing but socket.io-client, zod, @voxduplex/core and its own files', () => {
    expect(sources.length).toBeGreaterThan(5);
    for (const { file, text } of sources)
      for (const [, specifier] of text.matchAll(/from '([^']+)'/g))
        expect(specifier, file).toMatch(/^(\.\.?\/|socket\.io-client$|zod$|@voxduplex\/core$)/);
  });

  it('uses no Node globals', () => {
    for (const { file, text } of sources) expect(text, file).not.toMatch(/\b(Buffer|process|require)\b[.(]/);
  });
});
