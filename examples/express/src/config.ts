import { resolve } from 'node:path';
import { ConfigError } from '@voxduplex/core';
import {
  type Environment,
  LLM_CHOICES,
  type ProviderChoice,
  STT_CHOICES,
  TTS_CHOICES,
} from './provider-choices';

/**
 * The providers a variable names, in order: `VOX_LLM=openai,demo` is a fallback chain (the
 * first in service answers), `VOX_LLM=openai` a single provider.
 */
export interface ProviderList {
  /** As given, e.g. `openai,demo`: shown in logs and `/health`. */
  readonly name: string;
  readonly names: readonly string[];
  readonly choices: readonly ProviderChoice[];
}

/** Everything the server needs, read from the environment once at start-up. */
export interface ExampleConfig {
  readonly env: Environment;
  readonly host: string;
  readonly port: number;
  /** The built React app (`examples/react/dist`), served at `/`. */
  readonly staticDir: string;
  readonly stt: ProviderList;
  readonly tts: ProviderList;
  readonly llm: ProviderList;
  /** `VOX_RECORD_DIR`: where each call's WAV and transcript go; no recording when unset. */
  readonly recordDir?: string;
}

const DEFAULT_STATIC_DIR = resolve(import.meta.dirname, '../../react/dist');

/**
 * Reads `VOX_STT`, `VOX_TTS`, `VOX_LLM` (each a choice or a comma-separated fallback list),
 * `HOST`, `PORT`, `STATIC_DIR`, `VOX_RECORD_DIR` and the keys the chosen providers need. Throws
 * one {@link ConfigError} listing every problem (unknown choice, missing key), so a
 * misconfigured server stops at start-up rather than at the first utterance.
 */
export function readConfig(env: Environment): ExampleConfig {
  const problems: string[] = [];
  const pick = (
    variable: string,
    choices: Readonly<Record<string, ProviderChoice>>,
    fallback: string,
  ): ProviderList => {
    const names = (env[variable] || fallback).split(',').map((name) => name.trim());
    const picked: ProviderChoice[] = [];
    names.forEach((name, index) => {
      const choice = choices[name];
      if (names.indexOf(name) !== index) problems.push(`${variable} lists ${name || 'an empty name'} twice`);
      else if (!choice)
        problems.push(
          `${variable}=${name || '(empty)'} is not a choice; use one of: ${Object.keys(choices).join(', ')} (or several, comma-separated)`,
        );
      else {
        picked.push(choice);
        for (const group of choice.requires) {
          if (group.some((variableName) => env[variableName])) continue;
          problems.push(
            `${variable}=${name} (${choice.description}) needs ${group.join(' or ')} in the environment`,
          );
        }
      }
    });
    return { name: names.join(','), names, choices: picked };
  };
  const stt = pick('VOX_STT', STT_CHOICES, 'local');
  const tts = pick('VOX_TTS', TTS_CHOICES, 'local');
  const llm = pick('VOX_LLM', LLM_CHOICES, 'demo');
  // Each check once, even when two choices share it (Google STT and TTS read the same key file).
  const checks = [stt, tts, llm].flatMap(({ choices }) =>
    choices.flatMap((choice) => choice.check?.(env) ?? []),
  );
  for (const problem of new Set(checks)) problems.push(problem);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) problems.push(`PORT=${env.PORT} is not a port`);
  if (problems.length > 0)
    throw new ConfigError('The voice agent cannot start with this configuration', problems);
  return {
    env,
    host: env.HOST ?? '127.0.0.1',
    port,
    staticDir: env.STATIC_DIR ? resolve(env.STATIC_DIR) : DEFAULT_STATIC_DIR,
    stt,
    tts,
    llm,
    ...(env.VOX_RECORD_DIR ? { recordDir: resolve(env.VOX_RECORD_DIR) } : {}),
  };
}
