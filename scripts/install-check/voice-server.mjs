// A scratch app's voice server on a free port, and spoken turns against it from the Node client.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, run, start, waitForPort } from './processes.mjs';

const LISTEN_TIMEOUT_MS = 60_000;

/**
 * Starts `command args` in `app.dir` with `PORT` (and `env`) set; resolves once the port accepts
 * connections. Returns `{ url, port, output(), stop() }`.
 */
export async function startVoiceServer(app, command, args, env = {}) {
  const port = await freePort();
  const server = start(command, args, { cwd: app.dir, env: { PORT: String(port), ...env } });
  try {
    await waitForPort(port, server, LISTEN_TIMEOUT_MS);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, port, output: server.output, stop: server.stop };
}

/** Copies the turn client into `clientApp` (an installed ESM app with the transport package). */
export function installTurnClient(clientApp) {
  copyFileSync(join(import.meta.dirname, 'turn-client.mjs'), join(clientApp.dir, 'turn-client.mjs'));
}

/**
 * Speaks `questions` to the agent at `url` (namespace `/voice`) from `clientApp`'s Node client.
 * Resolves with `{ turns, failures }` (see turn-client.mjs); the bound grows with the questions.
 */
export async function speakTurns(clientApp, url, questions, { auth, playOutFirst = true, gapMs = 600 } = {}) {
  if (!clientApp) throw new Error('no Node client: the Express ESM app did not install');
  const turnTimeoutMs = 20_000;
  const plan = join(clientApp.dir, `plan-${Date.now()}.json`);
  writeFileSync(
    plan,
    JSON.stringify({ url: `${url}/voice`, auth, questions, playOutFirst, turnTimeoutMs, gapMs }),
  );
  const audioMs = questions.reduce((sum, q) => sum + q.frames * 20, 0);
  const { stdout } = await run('node', ['turn-client.mjs', plan], {
    cwd: clientApp.dir,
    // Real time: the questions, a reply played out, gaps, and per turn at most its own bound.
    timeoutMs: 30_000 + audioMs + questions.length * (turnTimeoutMs + gapMs),
  });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/**
 * The checks of one spoken turn: a transcript, a reply that ended (`speech-end`) with text, and
 * agent audio. Returns a list of problems (empty when the turn is good).
 */
export function turnProblems(result) {
  const problems = [...result.failures];
  const [turn] = result.turns;
  if (!turn) return problems.length > 0 ? problems : ['no turn completed'];
  if (!turn.transcript) problems.push(`no final transcript for "${turn.question}"`);
  if (!turn.replyText.trim()) problems.push(`the reply to "${turn.question}" ended with no text`);
  if (turn.audioChunks === 0) problems.push(`no agent audio for "${turn.question}"`);
  return problems;
}

/** One line about a turn for the log. */
export function describeTurn(turn) {
  return (
    `"${turn.question}" (${turn.voice}) heard as "${turn.transcript}" → "${turn.replyText.slice(0, 60)}"` +
    `${turn.interrupted ? ' (interrupted)' : ''}, ${turn.audioChunks} chunks, v2v ${turn.v2vMs} ms`
  );
}

/**
 * Starts the server (`command args` in `app.dir`), asks it the time once from the Node client,
 * logs the turn and throws with the server's output when the turn is not good.
 */
export async function askTheTimeOnce(ctx, app, command, args) {
  const server = await startVoiceServer(app, command, args);
  try {
    const result = await speakTurns(ctx.clientApp, server.url, [ctx.questions.time]);
    for (const turn of result.turns) ctx.log(describeTurn(turn));
    const problems = turnProblems(result);
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\nserver output:\n${server.output()}`);
  } finally {
    await server.stop();
  }
}
