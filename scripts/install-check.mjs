// `npm run check:install`: installs the packages as a user would and proves they work there.
// Packs every public workspace package, publishes the tarballs to a throwaway local registry,
// installs them into scratch apps outside the repository (Express ESM and CommonJS, NestJS, the
// scaffolder's output, Vite + React, the README blocks), type-checks and builds them, takes
// spoken turns against the servers and talks to the built page in Chromium. Prints the figures
// and writes bench/results/install.json. Exit 1 when any scenario fails. Run after `npm run build`.
//
//   node scripts/install-check.mjs [--keep]   (--keep leaves the scratch folder for a look)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
// The bench's own result format and writer (Node 24 strips the types of a .ts import).
import { report, result } from '../bench/harness.ts';
import { startLocalRegistry } from './install-check/local-registry.mjs';
import { inParallel } from './install-check/processes.mjs';
import { expressCjs } from './install-check/scenarios/express-cjs.mjs';
import { expressEsm } from './install-check/scenarios/express-esm.mjs';
import { nestjs } from './install-check/scenarios/nestjs.mjs';
import { readmeBlocks } from './install-check/scenarios/readme-blocks.mjs';
import { scaffolder } from './install-check/scenarios/scaffolder.mjs';
import { viteReact } from './install-check/scenarios/vite-react.mjs';
import { speakQuestion } from './install-check/spoken-questions.mjs';
import { packPackages, publicPackages } from './install-check/workspace-packages.mjs';

const ROOT = join(import.meta.dirname, '..');
/** Questions the demo brain answers (time, an apology for the date, a story, a greeting), two voices. */
const QUESTIONS = ['what time is it', 'what is the date today', 'please tell me a story', 'hello there'];
const VOICES = ['rms', 'awb'];
/** Talk order matters: the spoken-turn figures are taken first, on a machine with nothing else to do. */
const SCENARIOS = [expressEsm, expressCjs, nestjs, scaffolder, viteReact, readmeBlocks];
const FIGURE_ORDER = [
  'install.check.wall_s',
  'install.node_modules.server_mb',
  'install.node_modules.browser_mb',
  'install.browser.voice_layer_gzip_kb',
  'install.quickstart.v2v.p50',
  'install.quickstart.v2v.p95',
  'install.quickstart.v2v.first_turn',
];

const startedAt = performance.now();
const elapsed = () => ((performance.now() - startedAt) / 1000).toFixed(1).padStart(5);
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const log = (scope, message) => console.log(`[${elapsed()} s] ${scope}: ${message}`);

const figures = [];
const shared = {
  root: ROOT,
  headline: headlineV2v(),
  figure: (metric, value, unit, goal) => figures.push(result(metric, value, unit, goal)),
  share: (values) => Object.assign(shared, values),
};
/** name → { status: 'passed' | 'failed' | 'skipped', reason?, app? } */
const outcomes = new Map();

/** Runs one phase of a scenario, recording a failure instead of throwing. */
async function phase(scenario, step) {
  const outcome = outcomes.get(scenario.name);
  if (outcome.status !== 'passed' || !scenario[step]) return;
  const ctx = Object.assign(Object.create(shared), { log: (message) => log(scenario.name, message) });
  const began = performance.now();
  try {
    const app = await scenario[step](ctx, outcome.app);
    if (step === 'install') outcome.app = app;
    log(scenario.name, `${step} ok (${((performance.now() - began) / 1000).toFixed(1)} s)`);
  } catch (error) {
    outcome.status = 'failed';
    outcome.reason = `${step}: ${error.message}`;
    log(scenario.name, `${step} FAILED:\n${error.message}`);
  }
}

/** The offline stack's headline voice-to-voice figures, for comparison. */
function headlineV2v() {
  const results = JSON.parse(readFileSync(join(ROOT, 'bench/results/local-v2v.json'), 'utf8'));
  const find = (q) => results.find((r) => r.metric === `local.v2v.${q}`);
  return {
    results: { p50: find('p50'), p95: find('p95') },
    /** Within 10 % of the headline (issue 15, Deliver 2). */
    goal: (q) => `<= ${Math.round(find(q).value * 1.1)} (local.v2v.${q} ${Math.round(find(q).value)} + 10 %)`,
  };
}

async function main() {
  log('install-check', `load average before ${load()}`);
  const workDir = mkdtempSync(join(tmpdir(), 'vox-install-check-'));
  const keep = process.argv.includes('--keep');
  let registry;
  try {
    const { packages, untracked } = publicPackages(ROOT);
    for (const dir of untracked) log('install-check', `${dir} left out: not tracked by git yet`);
    shared.packages = packages;
    shared.workDir = workDir;

    const [startedRegistry, tarballs, spoken] = await Promise.all([
      startLocalRegistry(workDir),
      packPackages(ROOT, packages, workDir),
      Promise.all(
        VOICES.flatMap((voice) => QUESTIONS.map((text, i) => speakQuestion(workDir, text, voice, i))),
      ),
    ]);
    registry = startedRegistry;
    shared.registryUrl = registry.url;
    shared.questions = { time: spoken[0], timing: spoken };
    await registry.publish(tarballs);
    log('install-check', `${tarballs.length} packages published to ${registry.url}`);

    for (const scenario of SCENARIOS) {
      const skipReason = scenario.skipReason?.(shared);
      outcomes.set(
        scenario.name,
        skipReason ? { status: 'skipped', reason: skipReason } : { status: 'passed' },
      );
      if (skipReason) log(scenario.name, `SKIPPED: ${skipReason}`);
    }
    // Installs wait on the network, checks on the CPU (two cores): three, then two at a time.
    await inParallel(
      SCENARIOS.map((s) => () => phase(s, 'install')),
      3,
    );
    await inParallel(
      SCENARIOS.map((s) => () => phase(s, 'check')),
      2,
    );
    // One server at a time: the latency figures need a quiet machine.
    for (const scenario of SCENARIOS) await phase(scenario, 'talk');
  } finally {
    await registry?.stop();
    if (keep) log('install-check', `scratch apps kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }

  const wallS = (performance.now() - startedAt) / 1000;
  log('install-check', `load average after ${load()}`);
  figures.push(result('install.check.wall_s', wallS, 's', '< 360'));
  figures.sort((a, b) => FIGURE_ORDER.indexOf(a.metric) - FIGURE_ORDER.indexOf(b.metric));
  const failed = [...outcomes.values()].filter((o) => o.status === 'failed').length;
  const { p50, p95 } = shared.headline.results;
  console.log(
    `\nheadline (bench/results/local-v2v.json, ${p50.machine}): local.v2v.p50 ${p50.value} ms, p95 ${p95.value} ms`,
  );
  if (failed === 0) report('install', figures);
  else {
    console.table(figures.map(({ metric, value, unit, goal }) => ({ metric, value, unit, goal })));
    console.log('bench/results/install.json not written: a scenario failed');
  }

  console.log('\nscenarios');
  for (const [name, { status, reason }] of outcomes)
    console.log(`  ${status.padEnd(7)} ${name}${reason ? ` — ${reason.split('\n')[0]}` : ''}`);
  console.log(
    `install check: ${failed === 0 ? 'passed' : `${failed} scenario(s) failed`} in ${wallS.toFixed(0)} s`,
  );
  return failed === 0 ? 0 : 1;
}

// Exits explicitly: a child or browser left behind by a failure must not keep the check alive.
process.exit(
  await main().catch((error) => {
    console.error(`install check failed: ${error.stack ?? error}`);
    return 1;
  }),
);
