// The root README's Quickstart server block, made runnable on a port the check chooses. The only
// edits are mechanical and fail loudly when the block no longer has what they replace:
// - `listen(3000` → `listen(Number(process.env.PORT)` (port 3000 may be taken on a CI machine;
//   the NestJS README's blocks get the same edit);
// - with `express: true`, `createServer()` → `createServer(app)`, an Express app serving the
//   built page from STATIC_DIR: the block's own comment ("or createServer(expressApp)").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runnableBlocks } from './readme-blocks.mjs';

/** The first `run` block of the root README (the Quickstart server). */
export function quickstartBlock(root) {
  const block = runnableBlocks(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md').find(
    (b) => b.mode === 'run',
  );
  if (!block) throw new Error('README.md has no <!-- runnable: run --> block (the Quickstart server)');
  return block;
}

/** The block's code with the port from `PORT` and, optionally, an Express app on the server. */
export function quickstartServer(block, { express = false } = {}) {
  let code = onPortFromEnvironment(block.code);
  if (express) {
    code = replaceOnce(code, /createServer\(\)/, 'createServer(app)', 'createServer()');
    code =
      "import express from 'express';\n" +
      'const app = express();\n' +
      "app.use(express.static(process.env.STATIC_DIR ?? 'public'));\n" +
      code;
  }
  return code;
}

/** A README server block listening on `PORT` instead of 3000. */
export function onPortFromEnvironment(code) {
  return replaceOnce(code, /\.listen\(3000\b/, '.listen(Number(process.env.PORT)', 'listen(3000');
}

function replaceOnce(code, pattern, replacement, what) {
  if (!pattern.test(code))
    throw new Error(
      `a README server block no longer contains \`${what}\`: update scripts/install-check/quickstart-server.mjs`,
    );
  return code.replace(pattern, replacement);
}
