import { execFile } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import type { TemplateName } from '../src/templates';
import { PACKAGE_DIR, scratchDir } from './run-bin';

// The generated project is type-checked with its own tsconfig files against the workspace's
// packages as built (`dist/*.d.ts`, what a user installs): its node_modules is a link to the
// repository's, where every @voxduplex package is a workspace link. Offline, ≈ 5 s per project.
const REPOSITORY_NODE_MODULES = join(PACKAGE_DIR, '..', '..', 'node_modules');
const TSC = join(REPOSITORY_NODE_MODULES, 'typescript', 'bin', 'tsc');

const scratch = scratchDir();
afterAll(() => scratch.remove());

function tsc(project: string, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSC, '--noEmit', '--pretty', 'false', '-p', project],
      { cwd },
      (error, stdout) => resolve(error ? stdout || String(error) : ''),
    );
  });
}

function generate(template: TemplateName): string {
  const cwd = join(scratch.path, template);
  const status = runCli([template, ...(template === 'nest' ? ['--nest'] : [])], {
    cwd: scratch.path,
    nodeVersion: process.versions.node,
    print: () => undefined,
    printError: (text) => {
      throw new Error(text);
    },
  });
  expect(status).toBe(0);
  symlinkSync(REPOSITORY_NODE_MODULES, join(cwd, 'node_modules'), 'dir');
  return cwd;
}

/** The built declarations each pinned @voxduplex package needs; missing ones fail with the fix. */
function unbuiltPackages(project: string): string[] {
  const { dependencies } = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  return Object.keys(dependencies)
    .filter((name) => name.startsWith('@voxduplex/'))
    .filter((name) => !existsSync(join(REPOSITORY_NODE_MODULES, name, 'dist', 'index.d.ts')));
}

/**
 * The README's "Use OpenAI, Google or Azure" code as files of the server: the OpenAI version of
 * `server/agent.ts`, and one provider per row of the table, so a README that stops compiling
 * against the adapters fails here.
 */
function writeReadmeChecks(project: string): void {
  const readme = readFileSync(join(project, 'README.md'), 'utf8');
  const openAiBlock = readme
    .slice(readme.indexOf('For example, with OpenAI'))
    .match(/```ts\n([\s\S]*?)```/)?.[1];
  expect(openAiBlock, 'the OpenAI example').toBeDefined();
  const agent = readFileSync(join(project, 'server/agent.ts'), 'utf8');
  const agentWithoutImports = agent.replace(/^import .*\n/gm, '');
  const functionStart = openAiBlock!.indexOf('export function createAgent');
  writeFileSync(
    join(project, 'server/readme-openai.check.ts'),
    openAiBlock!.slice(0, functionStart) +
      agentWithoutImports.slice(0, agentWithoutImports.indexOf('/**\n * The offline engines')) +
      openAiBlock!.slice(functionStart),
  );
  const rows = [
    ...readme.matchAll(
      /npm install (@voxduplex\/[\w-]+)@[^|]*\|[^|]*\| `const (\w+) = (new (\w+)\(.*\))`\s*\|/g,
    ),
  ];
  expect(rows.map((row) => row[1])).toEqual([
    '@voxduplex/llm-openai',
    '@voxduplex/stt-google',
    '@voxduplex/stt-azure',
    '@voxduplex/tts-google',
    '@voxduplex/tts-azure',
  ]);
  writeFileSync(
    join(project, 'server/readme-providers.check.ts'),
    rows
      .map(([, name, variable, expression, className], index) =>
        [`import { ${className} } from '${name}';`, `export const ${variable}${index} = ${expression};`].join(
          '\n',
        ),
      )
      .join('\n'),
  );
}

describe.each(['express', 'nest'] as const)('the %s starter', (template) => {
  let project: string;
  beforeAll(() => {
    project = generate(template);
    writeReadmeChecks(project);
  });

  it('is built against packages whose declarations exist (else run "npm run build" first)', () => {
    expect(unbuiltPackages(project)).toEqual([]);
  });

  it('type-checks its server, vite.config.ts and the README’s provider code', {
    timeout: 120_000,
  }, async () => {
    expect(await tsc('server', project)).toBe('');
  });

  it('type-checks its page', { timeout: 120_000 }, async () => {
    expect(await tsc('.', project)).toBe('');
  });
});
