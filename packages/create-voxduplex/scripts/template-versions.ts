// The templates pin every @voxduplex package at the version this repository holds, so a starter
// made by create-voxduplex X installs the packages released with X. `npm run build` rewrites the
// pins (after `changeset version` they move); the test "pins the repository's versions" fails on
// a pin left behind. Run: `npx tsx scripts/template-versions.ts [--check]`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGE_DIR = join(import.meta.dirname, '..');
const PACKAGES_DIR = join(PACKAGE_DIR, '..');
const NOT_PUBLISHED = 'is not a published package of this repository';

/** A template package.json and the dependencies in it that differ from the repository. */
export interface PinDrift {
  readonly manifestPath: string;
  /** Dependency name → [pinned, repository version or undefined when no such package exists]. */
  readonly drifted: ReadonlyMap<string, readonly [string, string | undefined]>;
}

/** Name → version of every package folder under `packages/` (private ones included). */
export function repositoryVersions(packagesDir = PACKAGES_DIR): Map<string, string> {
  const versions = new Map<string, string>();
  for (const dir of readdirSync(packagesDir)) {
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const { name, version } = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      version: string;
    };
    versions.set(name, version);
  }
  return versions;
}

/** Every package.json under `templates/`. */
export function templateManifests(templatesDir = join(PACKAGE_DIR, 'templates')): string[] {
  return readdirSync(templatesDir)
    .map((layer) => join(templatesDir, layer, 'package.json'))
    .filter((path) => existsSync(path));
}

/** The `@voxduplex/*` pins of each template that are not the repository's current version. */
export function pinDrift(versions = repositoryVersions()): PinDrift[] {
  return templateManifests().flatMap((manifestPath) => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Record<string, string>>;
    const drifted = new Map<string, readonly [string, string | undefined]>();
    for (const field of ['dependencies', 'devDependencies'])
      for (const [name, pinned] of Object.entries(manifest[field] ?? {}))
        if (name.startsWith('@voxduplex/') && pinned !== versions.get(name))
          drifted.set(name, [pinned, versions.get(name)]);
    return drifted.size > 0 ? [{ manifestPath, drifted }] : [];
  });
}

/** Rewrites drifted pins to the repository's versions; a pin with no package stays and is reported. */
export function syncPins(versions = repositoryVersions()): string[] {
  const messages: string[] = [];
  for (const { manifestPath, drifted } of pinDrift(versions)) {
    let text = readFileSync(manifestPath, 'utf8');
    for (const [name, [pinned, version]] of drifted) {
      if (version === undefined) {
        messages.push(`${manifestPath}: ${name} ${NOT_PUBLISHED}`);
        continue;
      }
      text = text.replace(`"${name}": "${pinned}"`, `"${name}": "${version}"`);
      messages.push(`${manifestPath}: ${name} ${pinned} → ${version}`);
    }
    writeFileSync(manifestPath, text);
  }
  return messages;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const isCheck = process.argv.includes('--check');
  const drift = pinDrift();
  if (isCheck) {
    for (const { manifestPath, drifted } of drift)
      for (const [name, [pinned, version]] of drifted)
        console.error(
          `${manifestPath}: ${name} is pinned at ${pinned}, the repository has ${version ?? 'no such published package'}`,
        );
    process.exitCode = drift.length > 0 ? 1 : 0;
  } else {
    const messages = syncPins();
    for (const message of messages) console.log(`template pins: ${message}`);
    process.exitCode = messages.some((message) => message.endsWith(NOT_PUBLISHED)) ? 1 : 0;
  }
}
