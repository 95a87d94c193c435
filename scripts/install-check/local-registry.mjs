// A throwaway npm registry (verdaccio) on 127.0.0.1 that holds only our packages: `uplinks: {}`
// so nothing else is served from it, anonymous publish for `@voxduplex/*` and `create-voxduplex`.
// Scratch apps point only the `@voxduplex` scope at it; everything else comes from the usual registry.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, inParallel, run, start } from './processes.mjs';

const VERDACCIO = 'verdaccio@6.8.0'; // 6.10 wants Node 22 features it does not need here

/** Installs verdaccio into `workDir/registry`, starts it and returns `{ url, publish, stop }`. */
export async function startLocalRegistry(workDir) {
  const dir = join(workDir, 'registry');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', VERDACCIO], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const ours = { access: '$all', publish: '$all' };
  // JSON is YAML: no YAML writer needed.
  const config = {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: -1 } },
    uplinks: {},
    packages: { '@voxduplex/*': ours, 'create-voxduplex': ours, '**': { access: '$all' } },
    listen: `127.0.0.1:${port}`,
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
  };
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config, null, 2));
  const server = start('node', [join(dir, 'node_modules/verdaccio/bin/verdaccio'), '-c', 'config.yaml'], {
    cwd: dir,
  });
  await waitForPing(url, server);
  // npm refuses to publish without a token; verdaccio takes any for anonymous publish.
  const token = `--//127.0.0.1:${port}/:_authToken=anonymous`;
  return {
    url,
    /** Publishes the tarballs (four at a time). */
    publish: (tarballs) =>
      inParallel(
        tarballs.map(
          (tarball) => () =>
            run('npm', ['publish', tarball, '--registry', url, token, '--loglevel=error'], {
              cwd: dir,
              timeoutMs: 60_000,
            }),
        ),
        4,
      ),
    stop: () => server.stop(),
  };
}

async function waitForPing(url, server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.hasExited) throw new Error(`verdaccio exited:\n${server.output()}`);
    try {
      if ((await fetch(new URL('-/ping', url))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${server.output()}`);
}
