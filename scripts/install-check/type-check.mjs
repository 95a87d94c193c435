// tsc in a scratch app, with errors in README blocks pointed back at the README line.

/**
 * Type-checks `project` (a tsconfig path relative to the app); with `emit`, also writes its
 * output (one tsc run). `origins` maps a generated file name to `{ file, line }` of the code block
 * it came from. Rejects with tsc's errors, each in a block also given as `README.md:<line>`.
 */
export async function typeCheck(app, project, origins = new Map(), { emit = false } = {}) {
  try {
    await app.run(
      'npx',
      ['--no-install', 'tsc', ...(emit ? [] : ['--noEmit']), '--pretty', 'false', '-p', project],
      {
        timeoutMs: 120_000,
      },
    );
  } catch (error) {
    throw new Error(pointAtReadmes(error.message, origins));
  }
}

function pointAtReadmes(output, origins) {
  return output.replace(/^(\S+?)\((\d+),(\d+)\): /gm, (whole, path, line, column) => {
    const origin = [...origins].find(([name]) => path.endsWith(name))?.[1];
    if (!origin) return whole;
    return `${origin.file}:${origin.line + Number(line)}:${column} (${path}): `;
  });
}
