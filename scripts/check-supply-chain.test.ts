import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { findProblems, isMajorBehind, resolveInLock, runtimePackages } from './check-supply-chain.mjs';

interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  deprecated?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}
interface RuntimePackage {
  name: string;
  version: string;
  chain: string[];
}

/** A workspace monorepo as npm locks it: `@v/core` is public, `@v/app` is an example. */
const lock: { packages: Record<string, LockEntry> } = {
  packages: {
    '': { name: 'root', devDependencies: { vitest: '^4' } },
    'packages/core': { name: '@v/core', version: '1.0.0', dependencies: { rxjs: '^7', 'left-pad': '^1' } },
    'packages/transport': {
      name: '@v/transport',
      version: '1.0.0',
      dependencies: { '@v/core': '^1', 'socket.io': '^4' },
      peerDependencies: { react: '*', 'optional-peer': '*' },
      peerDependenciesMeta: { 'optional-peer': { optional: true } },
      optionalDependencies: { 'fsevents-like': '*' },
      devDependencies: { 'dev-only': '^1' },
    },
    'node_modules/@v/core': { link: true, resolved: 'packages/core' },
    'node_modules/rxjs': { version: '7.8.2', dependencies: { tslib: '^2' } },
    'node_modules/tslib': { version: '2.8.1' },
    'node_modules/left-pad': { version: '1.3.0', deprecated: 'use String.prototype.padStart()' },
    'node_modules/socket.io': { version: '3.1.0', dependencies: { ws: '^8' } },
    'node_modules/socket.io/node_modules/ws': { version: '8.0.0' },
    'node_modules/ws': { version: '7.5.0' },
    'node_modules/react': { version: '19.0.0', dependencies: { 'react-dom-inner': '^1' } },
    'node_modules/react-dom-inner': { version: '1.0.0' },
    'node_modules/optional-peer': { version: '1.0.0' },
    'node_modules/dev-only': { version: '1.0.0', dev: true },
    'node_modules/vitest': { version: '4.1.0', dev: true },
  },
};

const tree = () =>
  runtimePackages(lock, ['packages/transport']) as {
    packages: RuntimePackage[];
    direct: { dependent: string; name: string; version: string }[];
  };

describe('runtimePackages', () => {
  test('follows dependencies, required peers and workspace links; never dev dependencies or optional peers', () => {
    const ids = tree()
      .packages.map((p) => `${p.name}@${p.version}`)
      .sort();
    expect(ids).toEqual([
      'left-pad@1.3.0',
      'react-dom-inner@1.0.0',
      'react@19.0.0',
      'rxjs@7.8.2',
      'socket.io@3.1.0',
      'tslib@2.8.1',
      'ws@8.0.0',
    ]);
  });

  test('resolves a name the way Node does: the nearest node_modules first', () => {
    expect(resolveInLock(lock.packages, 'node_modules/socket.io', 'ws')).toBe(
      'node_modules/socket.io/node_modules/ws',
    );
    expect(resolveInLock(lock.packages, 'node_modules/rxjs', 'ws')).toBe('node_modules/ws');
    expect(resolveInLock(lock.packages, 'packages/core', 'tslib')).toBe('node_modules/tslib');
    expect(resolveInLock(lock.packages, 'packages/core', 'absent')).toBeUndefined();
  });

  test('remembers how each package was reached, and the direct dependencies of each workspace on the way', () => {
    const { packages, direct } = tree();
    expect(packages.find((p) => p.name === 'tslib')?.chain).toEqual([
      '@v/transport',
      '@v/core@workspace',
      'rxjs@7.8.2',
      'tslib@2.8.1',
    ]);
    expect(direct.map((d) => `${d.dependent} ${d.name}@${d.version}`).sort()).toEqual([
      '@v/core left-pad@1.3.0',
      '@v/core rxjs@7.8.2',
      '@v/transport react@19.0.0',
      '@v/transport socket.io@3.1.0',
    ]);
  });
});

describe('findProblems', () => {
  const packument = (latest: string, deprecated: Record<string, string> = {}) => ({
    'dist-tags': { latest },
    versions: Object.fromEntries(
      Object.entries(deprecated).map(([version, message]) => [version, { deprecated: message }]),
    ),
  });

  test('flags a version the registry or the lockfile calls deprecated, with the chain that brings it', () => {
    const problems = findProblems(
      tree(),
      new Map([
        ['tslib', packument('2.8.1', { '2.8.1': 'security issue, use 2.9' })],
        ['socket.io', packument('3.1.0')],
        ['react', packument('19.0.0')],
      ]),
    );
    expect([...problems].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id))).toEqual([
      { kind: 'deprecated', id: 'left-pad@1.3.0', detail: expect.stringContaining('padStart') },
      {
        kind: 'deprecated',
        id: 'tslib@2.8.1',
        detail: 'security issue, use 2.9 (via @v/transport > @v/core@workspace > rxjs@7.8.2 > tslib@2.8.1)',
      },
    ]);
  });

  test('flags a direct dependency on an older major line than latest, not a transitive one', () => {
    const problems = findProblems(
      tree(),
      new Map([
        ['socket.io', packument('4.8.4')],
        ['ws', packument('9.0.0')],
        ['react', packument('19.3.0')],
      ]),
    );
    expect(problems.filter((p: { kind: string }) => p.kind === 'major-behind')).toEqual([
      { kind: 'major-behind', id: 'socket.io@3.1.0', detail: 'latest is 4.8.4 (dependency of @v/transport)' },
    ]);
  });

  test('reports nothing when the registry is silent (the caller says it is blind)', () => {
    expect(
      findProblems({ packages: [{ name: 'x', version: '1.0.0', chain: [] }], direct: [] }, new Map()),
    ).toEqual([]);
  });
});

describe('isMajorBehind', () => {
  test.each([
    ['3.1.0', '4.0.0', true],
    ['4.8.4', '4.9.0', false],
    ['0.3.9', '0.4.0', true],
    ['0.4.1', '0.4.9', false],
    ['0.9.0', '1.0.0', true],
    ['5.0.0-beta.1', '4.9.9', false],
    ['19.0.0', '19.0.0', false],
  ])('%s against latest %s: %s', (installed, latest, expected) => {
    expect(isMajorBehind(installed, latest)).toBe(expected);
  });
});
