import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryVersions } from '../scripts/template-versions';
import { runCli } from '../src/cli';
import { type BinRun, runBin, scratchDir } from './run-bin';

const scratch = scratchDir();
afterAll(() => scratch.remove());

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

const PAGE_FILES = [
  '.gitignore',
  'README.md',
  'index.html',
  'package.json',
  'server/agent.ts',
  'server/main.ts',
  'server/tsconfig.json',
  'src/App.tsx',
  'src/main.tsx',
  'src/styles.css',
  'src/vite-env.d.ts',
  'tsconfig.json',
  'vite.config.ts',
];

describe.each([
  { template: 'express', args: [], files: PAGE_FILES, server: 'express' },
  {
    template: 'nest',
    args: ['--nest'],
    files: [...PAGE_FILES, 'server/app.module.ts'].sort(),
    server: '@nestjs/core',
  },
])('create-voxduplex my-agent $args ($template)', ({ args, files, server }) => {
  let run: BinRun;
  let project: string;
  beforeAll(async () => {
    const cwd = join(scratch.path, `run-${args.length}`);
    mkdirSync(cwd);
    project = join(cwd, 'my-agent');
    run = await runBin(['my-agent', ...args], cwd);
  });

  it('writes the starter and prints the next steps', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('cd my-agent && npm install && npm run dev');
    expect(listFiles(project)).toEqual(files);
  });

  it('fills in the project name and leaves no placeholder', () => {
    const manifest = readJson(join(project, 'package.json'));
    expect(manifest.name).toBe('my-agent');
    expect(readFileSync(join(project, 'index.html'), 'utf8')).toContain('<title>my-agent</title>');
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toMatch(/^# my-agent\n/);
    for (const file of files)
      expect(readFileSync(join(project, file), 'utf8'), file).not.toMatch(/\{\{\w+\}\}/);
  });

  it('has dev, build and start scripts on the chosen server', () => {
    const manifest = readJson(join(project, 'package.json'));
    expect(Object.keys(manifest.scripts)).toEqual(['dev', 'build', 'start']);
    expect(manifest.dependencies).toHaveProperty(server);
    expect(manifest.engines.node).toBe('>=22');
  });

  it("pins every @voxduplex package at the repository's current version", () => {
    const versions = repositoryVersions();
    const { dependencies, devDependencies = {} } = readJson(join(project, 'package.json'));
    const pins = Object.entries({ ...dependencies, ...devDependencies }).filter(([name]) =>
      name.startsWith('@voxduplex/'),
    );
    expect(pins.length).toBeGreaterThan(3);
    for (const [name, pinned] of pins) {
      expect(versions.has(name), `${name} is not a published package of this repository`).toBe(true);
      expect(pinned, `${name}: run "npm run build -w packages/create-voxduplex" to re-pin`).toBe(
        versions.get(name),
      );
    }
  });

  it('serves the agent to anonymous clients on /voice, offline, with a documented dev proxy', () => {
    const serverCode = ['server/main.ts', 'server/app.module.ts']
      .filter((file) => existsSync(join(project, file)))
      .map((file) => readFileSync(join(project, file), 'utf8'))
      .join('\n');
    expect(serverCode).toContain('allowAnonymous: true');
    expect(serverCode).toMatch(/'\/voice'/);
    expect(readFileSync(join(project, 'server/agent.ts'), 'utf8')).toContain('createLocalStack()');
    const viteConfig = readFileSync(join(project, 'vite.config.ts'), 'utf8');
    expect(viteConfig).toMatch(/'\/socket\.io': \{ target: `http:\/\/127\.0\.0\.1:.*`, ws: true \}/);
    const readme = readFileSync(join(project, 'README.md'), 'utf8');
    expect(readme).toContain('## The Vite dev proxy');
    expect(readme).toContain('## Use OpenAI, Google or Azure');
    for (const variable of ['OPENAI_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'AZURE_SPEECH_KEY'])
      expect(readme).toContain(variable);
    const { version } = readJson(join(import.meta.dirname, '../../core/package.json'));
    expect(readme).toContain(`npm install @voxduplex/llm-openai@${version}`);
  });

  it('shows connection status and errors on the page', () => {
    const page = readFileSync(join(project, 'src/App.tsx'), 'utf8');
    expect(page).toContain('{agent.status}');
    expect(page).toContain('agent.error.message');
  });
});

describe('create-voxduplex refusals', () => {
  it('refuses a non-empty directory, writing nothing, and names --force', async () => {
    const cwd = join(scratch.path, 'busy');
    mkdirSync(join(cwd, 'my-agent'), { recursive: true });
    writeFileSync(join(cwd, 'my-agent', 'notes.txt'), 'mine');
    const run = await runBin(['my-agent'], cwd);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('my-agent is not empty (notes.txt)');
    expect(run.stderr).toContain('--force');
    expect(readdirSync(join(cwd, 'my-agent'))).toEqual(['notes.txt']);
  });

  it('with --force writes into it and keeps the other files', async () => {
    const cwd = join(scratch.path, 'forced');
    mkdirSync(join(cwd, 'my-agent'), { recursive: true });
    writeFileSync(join(cwd, 'my-agent', 'notes.txt'), 'mine');
    writeFileSync(join(cwd, 'my-agent', 'package.json'), '{}');
    const run = await runBin(['my-agent', '--force'], cwd);
    expect(run.status).toBe(0);
    expect(readFileSync(join(cwd, 'my-agent', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readJson(join(cwd, 'my-agent', 'package.json')).name).toBe('my-agent');
  });

  it('writes into the working directory for "." and leaves "cd" out of the next steps', () => {
    const cwd = join(scratch.path, 'Here And Now');
    mkdirSync(cwd);
    const printed: string[] = [];
    const status = runCli(['.'], {
      cwd,
      nodeVersion: '24.0.0',
      print: (text) => printed.push(text),
      printError: (text) => printed.push(text),
    });
    expect(status).toBe(0);
    expect(readJson(join(cwd, 'package.json')).name).toBe('here-and-now');
    expect(printed.join('\n')).toContain('  npm install && npm run dev');
  });

  it('stops on an old Node before writing anything, saying which version it needs', () => {
    const cwd = join(scratch.path, 'old-node');
    mkdirSync(cwd);
    const errors: string[] = [];
    const status = runCli(['my-agent'], {
      cwd,
      nodeVersion: '20.11.0',
      print: () => undefined,
      printError: (text) => errors.push(text),
    });
    expect(status).toBe(1);
    expect(errors.join('\n')).toContain('needs Node.js 22 or later; this is Node.js 20.11.0');
    expect(existsSync(join(cwd, 'my-agent'))).toBe(false);
  });

  it('prints the usage for --help and for a missing directory', async () => {
    const help = await runBin(['--help'], scratch.path);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--nest');
    const missing = await runBin([], scratch.path);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Name the directory to create');
    expect(missing.stderr).toContain('Usage:');
  });
});
