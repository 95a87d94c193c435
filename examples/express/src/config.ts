import { resolve } from 'node:path';
import { ConfigError } from '@voxduplex/core';
import {
  type Environment,
  LLM_CHOICES,
  type ProviderChoice,
  STT_CHOICES,
  TTS_CHOICES,
} from './provider-choices';

/** Everything the server needs, read from the environment once at start-up. */
export interface ExampleConfig {
  readonly env: Environment;
  readonly host: string;
  readonly port: number;
  /** The built React app (`examples/react/dist`), served at `/`. */
  readonly staticDir: string;
  readonly stt: { readonly name: string; readonly choice: ProviderChoice };
  readonly tts: { readonly name: string; readonly choice: ProviderChoice };
  readonly llm: { readonly name: string; readonly choice: ProviderChoice };
  /** `VOX_RECORD_DIR`: where each call's WAV and transcript go; no recording when unset. */
  readonly recordDir?: string;
}

const DEFAULT_STATIC_DIR = resolve(import.meta.dirname, '../../react/dist');

/**
 * Reads `VOX_STT`, `VOX_TTS`, `VOX_LLM`, `HOST`, `PORT`, `STATIC_DIR`, `VOX_RECORD_DIR` and the keys the chosen
 * providers need. Throws one {@link ConfigError} listing every problem (unknown choice, missing
 * key), so a misconfigured server stops at start-up rather than at the first utterance.
 */
export function readConfig(env: Environment): ExampleConfig {
  const problems: string[] = [];
  const pick = (variable: string, choices: Readonly<Record<string, ProviderChoice>>, fallback: string) => {
    const name = env[variable] || fallback;
    const choice = choices[name];
    if (!choice) {
      problems.push(`${variable}=${name} is not a choice; use one of: ${Object.keys(choices).join(', ')}`);
      return { name, choice: choices[fallback]! };
    }
    for (const group of choice.requires) {
      if (group.some((variableName) => env[variableName])) continue;
      problems.push(
        `${variable}=${name} (${choice.description}) needs ${group.join(' or ')} in the environment`,
      );
    }
    return { name, choice };
  };
  const stt = pick('VOX_STT', STT_CHOICES, 'local');
  const tts = pick('VOX_TTS', TTS_CHOICES, 'local');
  const llm = pick('VOX_LLM', LLM_CHOICES, 'demo');
  // Each check once, even when two choices share it (Google STT and TTS read the same key file).
  for (const problem of new Set([stt, tts, llm].flatMap(({ choice }) => choice.check?.(env) ?? [])))
    problems.push(problem);
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
