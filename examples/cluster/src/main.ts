import cluster from 'node:cluster';
import { ConfigError } from '@voxduplex/core';
import { readClusterConfig } from './cluster-config';

// The same file runs as the primary and, forked by it, as every worker; each loads only its part.
const role = cluster.isPrimary ? 'primary' : `worker ${process.pid}`;
try {
  const config = readClusterConfig(process.env);
  if (cluster.isPrimary) await (await import('./primary')).runPrimary(config);
  else await (await import('./worker')).runWorker(config);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(
      `The voice cluster cannot start:\n${error.issues.map((issue) => `  - ${issue}`).join('\n')}`,
    );
    console.error('See examples/cluster/README.md (and examples/express/README.md for the providers).');
  } else console.error(`${role} could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
