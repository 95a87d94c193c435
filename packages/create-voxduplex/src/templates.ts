import { fileURLToPath } from 'node:url';

/**
 * The starters, each a list of folders under `templates/` copied in order (a later folder's
 * file replaces an earlier one of the same path). `shared` holds the React page and the agent.
 */
export const TEMPLATE_LAYERS = {
  express: ['shared', 'express'],
  nest: ['shared', 'nest'],
} as const satisfies Record<string, readonly string[]>;

/** `express` (the default) or `nest` (`--nest`). */
export type TemplateName = keyof typeof TEMPLATE_LAYERS;

/** What each starter is, as the scaffolder says it ("Created my-agent: an Express + React …"). */
export const TEMPLATE_TITLES: Readonly<Record<TemplateName, string>> = {
  express: 'an Express + React',
  nest: 'a NestJS + React',
};

/**
 * The `templates/` folder of this package. The source (`src/`) and the build (`dist/`) both sit
 * one level below the package root, so one relative URL serves both.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url));

/**
 * Files stored under another name because npm leaves them out of a published tarball
 * (`.gitignore` would even be turned into `.npmignore`).
 */
const STORED_NAMES: Readonly<Record<string, string>> = {
  _gitignore: '.gitignore',
  _npmrc: '.npmrc',
};

/** The name a template file gets in the new project. */
export function outputFileName(storedName: string): string {
  return STORED_NAMES[storedName] ?? storedName;
}
