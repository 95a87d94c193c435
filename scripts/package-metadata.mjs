// What a registry page and an older TypeScript need from a public package, beyond publint and attw:
// a LICENSE in the tarball, repository/homepage/bugs/keywords, README links that work off GitHub,
// and a typesVersions entry per subpath export (`moduleResolution: "node"` ignores `exports`).
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Everything wrong with one package's metadata, as sentences; empty when it is fine. */
export function metadataProblems({ dir, manifest, packedFiles, rootLicense }) {
  return [
    ...licenseProblems(dir, packedFiles, rootLicense),
    ...manifestFieldProblems(dir, manifest),
    ...packedFiles
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) => linkProblems(dir, file, packedFiles)),
    ...typesVersionsProblems(manifest, packedFiles),
  ];
}

function licenseProblems(dir, packedFiles, rootLicense) {
  if (!packedFiles.includes('LICENSE')) return ['LICENSE is not in the tarball (add it to `files`)'];
  const license = readFileSync(join('packages', dir, 'LICENSE'), 'utf8');
  return license === rootLicense ? [] : ['LICENSE differs from the repository LICENSE'];
}

function manifestFieldProblems(dir, manifest) {
  const problems = [];
  const { repository, homepage, bugs, keywords } = manifest;
  if (typeof repository !== 'object' || !repository.url) problems.push('`repository` needs a `url`');
  else if (repository.directory !== `packages/${dir}`)
    problems.push(`\`repository.directory\` should be "packages/${dir}"`);
  if (typeof homepage !== 'string' || !homepage.startsWith('https://'))
    problems.push('`homepage` is missing');
  if (!(typeof bugs === 'string' ? bugs : bugs?.url)) problems.push('`bugs` is missing');
  if (!Array.isArray(keywords) || keywords.length === 0) problems.push('`keywords` is missing');
  return problems;
}

// Inline links, reference definitions and HTML href/src, outside fenced code blocks.
const LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\)|^\s*\[[^\]]+\]:\s*(\S+)|(?:href|src)="([^"]+)"/gm;

function linkProblems(dir, file, packedFiles) {
  const text = readFileSync(join('packages', dir, file), 'utf8').replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  const problems = [];
  for (const match of text.matchAll(LINK)) {
    const target = match[1] ?? match[2] ?? match[3];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const path = posix.normalize(posix.join(posix.dirname(file), target.split('#')[0]));
    if (path.startsWith('..')) problems.push(`${file}: relative link "${target}" leaves the package`);
    else if (!packedFiles.includes(path) && !packedFiles.some((packed) => packed.startsWith(`${path}/`)))
      problems.push(`${file}: relative link "${target}" points at a file not in the tarball`);
  }
  return problems;
}

function typesVersionsProblems(manifest, packedFiles) {
  const problems = [];
  for (const subpath of Object.keys(manifest.exports ?? {})) {
    if (subpath === '.' || subpath === './package.json') continue;
    const targets = manifest.typesVersions?.['*']?.[subpath.slice(2)];
    if (!targets?.length) problems.push(`export "${subpath}" has no typesVersions entry`);
    else if (!packedFiles.includes(posix.normalize(targets[0])))
      problems.push(`typesVersions "${subpath}" points at ${targets[0]}, not in the tarball`);
  }
  return problems;
}
