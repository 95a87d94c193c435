import { WebAudioError } from '../errors';
import captureSource from './capture-processor?worklet-source';
import playerSource from './player-processor?worklet-source';

/** The two worklet modules this package ships. */
export type WorkletName = 'capture' | 'player';

const sources: Record<WorkletName, string> = { capture: captureSource, player: playerSource };
const loaded = new WeakMap<BaseAudioContext, Map<WorkletName, Promise<void>>>();

/**
 * Adds a worklet module to `context` once. By default the module is the code bundled into this
 * package, loaded from a Blob URL (works in every bundler, needs `blob:` allowed by a CSP's
 * `script-src`/`worker-src`); pass `url` to load a copy you host instead.
 */
export function loadWorklet(context: BaseAudioContext, name: WorkletName, url?: string): Promise<void> {
  let modules = loaded.get(context);
  if (!modules) {
    modules = new Map();
    loaded.set(context, modules);
  }
  let loading = modules.get(name);
  if (!loading) {
    loading = addModule(context, name, url);
    modules.set(name, loading);
    // A failed load may be retried (e.g. after the page fixed its CSP).
    loading.catch(() => modules.delete(name));
  }
  return loading;
}

/** The bundled code of a worklet module, e.g. to serve it from your own origin. */
export function workletSource(name: WorkletName): string {
  return sources[name];
}

async function addModule(
  context: BaseAudioContext,
  name: WorkletName,
  url: string | undefined,
): Promise<void> {
  if (!context.audioWorklet) {
    throw new WebAudioError(
      'worklet_unsupported',
      'AudioWorklet is not available (it needs a secure context)',
    );
  }
  if (url !== undefined) return context.audioWorklet.addModule(url);
  const blobUrl = URL.createObjectURL(new Blob([sources[name]], { type: 'text/javascript' }));
  try {
    await context.audioWorklet.addModule(blobUrl);
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}
