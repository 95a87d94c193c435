// Code blocks a README marks as runnable: `<!-- runnable: run -->` (type-checked and executed) or
// `<!-- runnable: types -->` (type-checked) on the line before a fenced ts/tsx block. Words after
// the mode say why a block is not run: `<!-- runnable: types (a server on port 3000) -->`.
import { builtinModules } from 'node:module';

const MARKER = /^<!--\s*runnable:\s*(run|types)\b([^>]*?)\s*-->\s*$/;
const FENCE_OPEN = /^```(\w+)\s*$/;

/**
 * The runnable blocks of one README: `{ file, line, mode, why, lang, code, packages }`, where
 * `line` is the fence's line (1-based), `why` the marker's words after the mode (or '') and
 * `packages` the npm packages its imports name.
 */
export function runnableBlocks(markdown, file) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    let fence = i + 1;
    while (fence < lines.length && lines[fence].trim() === '') fence++;
    const open = FENCE_OPEN.exec(lines[fence] ?? '');
    if (!open) throw new Error(`${file}:${i + 1}: a runnable marker must precede a fenced code block`);
    const close = lines.findIndex((line, at) => at > fence && line.startsWith('```'));
    if (close < 0) throw new Error(`${file}:${fence + 1}: unclosed code block`);
    const code = `${lines.slice(fence + 1, close).join('\n')}\n`;
    blocks.push({
      file,
      line: fence + 1,
      mode: marker[1],
      why: marker[2].trim().replace(/^\((.*)\)$/, '$1'),
      lang: open[1],
      code,
      packages: importedPackages(code),
    });
    i = close;
  }
  return blocks;
}

/** npm package names the code imports (`node:` built-ins and relative paths left out). */
export function importedPackages(code) {
  const specifiers = [
    ...code.matchAll(/(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]/g),
    ...code.matchAll(/import\s+['"]([^'"]+)['"]/g),
    ...code.matchAll(/(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]);
  const names = specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  return [...new Set(names)].sort();
}

/**
 * Packages a block imports that no `npm install …` earlier in the same README names: a reader who
 * follows the README top to bottom would not have them.
 */
export function missingFromInstallLines(markdown, block) {
  const before = markdown.split('\n').slice(0, block.line).join('\n');
  const named = new Set(installLines(before).flat());
  return block.packages.filter((name) => !named.has(name));
}

/** The packages each `npm install …` line of a README names, in order (versions dropped). */
export function installLines(markdown) {
  return [...markdown.matchAll(/npm (?:install|i|add)\s+([^\n`]+)/g)].map(([, rest]) => {
    const names = [];
    for (const word of rest.split(/\s+/)) {
      if (word === '#' || word.startsWith('&&') || word === ';') break;
      if (word.startsWith('-') || word === '') continue;
      names.push(word.replace(/(?<=.)@[^/]*$/, '')); // drop a version: pkg@^1, @scope/pkg@2
    }
    return names;
  });
}

/** The `compilerOptions` of the first fenced json block of a README that has them. */
export function readmeCompilerOptions(markdown) {
  for (const [, json] of markdown.matchAll(/^```json\n([\s\S]*?)^```/gm)) {
    const parsed = JSON.parse(json);
    if (parsed.compilerOptions) return parsed.compilerOptions;
  }
  return undefined;
}

/**
 * The files a block's relative imports need, as `{ name, path }`: a block that imports
 * `./name.js` says where the reader copies it from in a `copied from <folder>` comment; `name` is
 * `name.ts`, to be put beside the block, and `path` is `<folder>/name.ts` in the repository.
 * Throws for a relative import with no such comment.
 */
export function copiedFiles(block) {
  const specifiers = [...block.code.matchAll(/\sfrom\s+['"](\.\/[^'"]+)['"]/g)].map((match) => match[1]);
  if (specifiers.length === 0) return [];
  const folder = /copied from (\S+)/.exec(block.code)?.[1];
  if (!folder)
    throw new Error(
      `${block.file}:${block.line} imports ${specifiers.join(', ')} without a "copied from <folder>" comment`,
    );
  return specifiers.map((specifier) => {
    const name = `${specifier.slice(2).replace(/\.js$/, '')}.ts`;
    return { name, path: `${folder.replace(/\/$/, '')}/${name}` };
  });
}
