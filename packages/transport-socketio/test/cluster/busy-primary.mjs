// Preloaded into a cluster's processes (`--import` in connection-balancer.test.ts, NODE_OPTIONS in
// examples/cluster's count-unanswered.ts): the primary spends BUSY_PRIMARY (`<busy ms>/<period
// ms>`) on work of its own, as a primary doing anything besides routing (or a GC pause, or a
// loaded machine) does. Workers are left alone.
import cluster from 'node:cluster';

const [busyMs, periodMs] = (process.env.BUSY_PRIMARY ?? '').split('/').map(Number);
if (cluster.isPrimary && busyMs > 0 && periodMs > 0)
  setInterval(() => {
    const until = performance.now() + busyMs;
    while (performance.now() < until);
  }, periodMs).unref();
