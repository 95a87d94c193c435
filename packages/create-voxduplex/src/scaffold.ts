import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ScaffoldError } from './errors';
import { outputFileName, TEMPLATE_LAYERS, TEMPLATES_DIR, type TemplateName } from './templates';

/** Options of {@link scaffold}. */
export interface ScaffoldOptions {
  /** Absolute path of the project directory; created (with its parents) when missing. */
  readonly targetDir: string;
  readonly template: TemplateName;
  /** The npm package name written into package.json and shown in the README and page title. */
  readonly projectName: string;
  /** Write into a non-empty directory, replacing files of the same name and keeping the others. */
  readonly isForced?: boolean;
  /** Where the template folders are; default this package's `templates/`. */
  readonly templatesDir?: string;
}

/** What {@link scaffold} wrote. */
export interface ScaffoldResult {
  /** Paths relative to the project directory, `/`-separated, sorted. */
  readonly files: readonly string[];
  /** The `@voxduplex/core` version the project's package.json pins. */
  readonly voxduplexVersion: string;
}

/**
 * Copies a starter into `targetDir`: the template's layers in order, dotfiles renamed
 * (`_gitignore` → `.gitignore`), and `{{projectName}}` / `{{voxduplexVersion}}` filled in.
 *
 * @throws ScaffoldError `target-not-directory` when the target is a file; `target-not-empty`
 *   when it has entries and `isForced` is not set. Nothing is written then.
 */
export function scaffold(options: ScaffoldOptions): ScaffoldResult {
  const { targetDir, template, projectName } = options;
  checkTarget(targetDir, options.isForced ?? false);
  const sources = templateFiles(options.templatesDir ?? TEMPLATES_DIR, template);
  const manifest = JSON.parse(readFileSync(sources.get('package.json')!, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const voxduplexVersion = manifest.dependencies['@voxduplex/core']!;
  const tokens: Record<string, string> = { projectName, voxduplexVersion };
  for (const [path, source] of sources) {
    const destination = join(targetDir, ...path.split('/'));
    mkdirSync(dirname(destination), { recursive: true });
    const text = readFileSync(source, 'utf8').replace(
      /\{\{(projectName|voxduplexVersion)\}\}/g,
      (_token, name: string) => tokens[name]!,
    );
    writeFileSync(destination, text);
  }
  return { files: [...sources.keys()].sort(), voxduplexVersion };
}

function checkTarget(targetDir: string, isForced: boolean): void {
  if (!existsSync(targetDir)) return;
  if (!statSync(targetDir).isDirectory())
    throw new ScaffoldError('target-not-directory', `${targetDir} exists and is not a directory.`);
  const entries = readdirSync(targetDir);
  if (entries.length === 0 || isForced) return;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
  throw new ScaffoldError(
    'target-not-empty',
    `${targetDir} is not empty (${shown}).\n` +
      'Choose a new directory name, empty this one, or add --force to write into it ' +
      '(files of the same name are replaced, others are kept).',
  );
}

/** Project path (`/`-separated, renamed) → template file, later layers winning. */
function templateFiles(templatesDir: string, template: TemplateName): Map<string, string> {
  const files = new Map<string, string>();
  for (const layer of TEMPLATE_LAYERS[template]) {
    const layerDir = join(templatesDir, layer);
    for (const source of walk(layerDir)) {
      const parts = relative(layerDir, source).split(/[\\/]/);
      parts.push(outputFileName(parts.pop()!));
      files.set(parts.join('/'), source);
    }
  }
  return files;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
