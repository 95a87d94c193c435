import { ScaffoldError } from './errors';

/**
 * The npm package name for a project folder: `My Agent` → `my-agent`. npm names are lowercase,
 * URL-safe and at most 214 characters, and start with neither a dot nor an underscore.
 *
 * @throws ScaffoldError (`invalid-project-name`) when nothing usable is left of the folder name.
 */
export function packageNameFor(folderName: string): string {
  const name = folderName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 214);
  if (name === '' || name === 'node_modules' || name === 'favicon.ico')
    throw new ScaffoldError(
      'invalid-project-name',
      `"${folderName}" cannot be made into an npm package name; choose a folder name with letters or digits.`,
    );
  return name;
}
