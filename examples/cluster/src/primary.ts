import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { ConnectionBalancer } from '@voxduplex/transport-socketio/cluster';
import type { ClusterConfig } from './cluster-config';
import { checkProviderChoice } from './voice-providers';
import type { PrimaryMessage, WorkerMessage } from './worker';

const STOP_GRACE_MS = 5000;

/**
 * The primary process: owns the port, forks the workers and hands each connection to one of
 * them (a {@link ConnectionBalancer}). A new Engine.IO connection goes to the ready worker with
 * the fewest connections; every later HTTP request of it (its `sid`) to the same worker, which is
 * what the long-polling transport needs. It runs no session and loads no provider. SIGTERM stops
 * the cluster (clients are told `closed`); SIGHUP restarts it worker by worker, sessions kept.
 */
export async function runPrimary(config: ClusterConfig): Promise<void> {
  await checkProviderChoice(config);
  const balancer = new ConnectionBalancer();
  await new Promise<void>((done, fail) => {
    balancer.server.once('error', fail);
    balancer.server.listen(config.port, config.host, done);
  });
  const { port } = balancer.server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;

  let hasStarted = false;
  let isStopping = false;
  const ready = new Set<number>();
  // A rolling restart (SIGHUP): the workers to retire once their replacements are ready.
  let retiring: Set<number> | undefined;
  const handingOff = new Set<number>();
  const liveWorkers = () => Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);

  const stop = (exitCode: number) => {
    if (isStopping) return;
    isStopping = true;
    balancer.close();
    if (liveWorkers().length === 0) process.exit(exitCode);
    for (const worker of liveWorkers()) worker.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (liveWorkers().length === 0) process.exit(exitCode);
    });
    setTimeout(() => {
      for (const worker of liveWorkers()) worker.process.kill('SIGKILL');
      process.exit(exitCode);
    }, STOP_GRACE_MS).unref();
  };

  cluster.on('message', (worker, message: WorkerMessage | { type?: unknown }) => {
    if (message.type !== 'vox:worker-ready' || !('providers' in message)) return; // the balancer's traffic
    ready.add(worker.id);
    // Not before: a connection handed to a worker still loading its providers would wait unanswered.
    if (!retiring?.has(worker.id)) balancer.admit(worker);
    console.log(`worker ${worker.process.pid} ready`);
    if (retiring && [...ready].filter((id) => !retiring!.has(id)).length >= config.workers) {
      for (const id of retiring) {
        const old = cluster.workers?.[id];
        if (!old) continue;
        handingOff.add(id);
        // No new connection for it: one handed to a worker on its way out would be lost.
        balancer.retire(old);
        old.send({ type: 'vox:hand-off' } satisfies PrimaryMessage);
      }
      retiring = undefined;
    }
    if (hasStarted || ready.size < config.workers) return;
    hasStarted = true;
    console.log(
      `voxduplex cluster ready: ${config.workers} workers (${message.providers}), Redis ${config.redisUrl}.\n` +
        `Open ${url} in a browser, press Talk, and speak.`,
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (isStopping) return;
    if (handingOff.delete(worker.id)) {
      console.log(`worker ${worker.process.pid} handed its sessions over and exited`);
      return;
    }
    if (!hasStarted) {
      console.error(`worker ${worker.process.pid} failed to start (${signal ?? code}); stopping`);
      return stop(1);
    }
    console.error(
      `worker ${worker.process.pid} died (${signal ?? code}): its clients reconnect to another ` +
        'worker and resume there from their last finished turn (saved in Redis)',
    );
    if (config.respawn) cluster.fork();
  });
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  // A rolling restart (new code, new settings): new workers first, then the old ones hand their
  // sessions over through Redis and exit; their clients resume on the new ones.
  process.on('SIGHUP', () => {
    if (isStopping || retiring || !hasStarted) return;
    retiring = new Set(liveWorkers().map((worker) => worker.id));
    console.log(`SIGHUP: starting ${config.workers} new workers; the old ones then hand their sessions over`);
    for (let i = 0; i < config.workers; i++) cluster.fork();
  });

  for (let i = 0; i < config.workers; i++) cluster.fork();
}
