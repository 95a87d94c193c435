// The load generator, in its own process pinned to the other core. It opens N clients, then
// sends every client's frames on schedule: client i's frame k is due at startAt + k·20 ms +
// i·20/N ms (phases spread evenly, as independent microphones are), stamped with its actual
// send time. It reports how late it was itself and how much CPU it used, so a saturated
// generator is seen as such and never blamed on the server.
import { quantile } from '../harness';
import { connectLoadClient, type LoadClient, type ServerErrorLog } from './load-clients';
import type { FromGenerator, GeneratorReport, ToGenerator, TrialPlan } from './messages';
import { FRAME_MS, monotonicMs } from './wire';

/** A frame leaving the generator later than this after it was due counts against the generator. */
export const GENERATOR_LATE_MS = 10;
/** Handshakes in flight at once: enough to connect fast, few enough not to swamp the server. */
const CONNECT_CONCURRENCY = 50;

const send = (message: FromGenerator) => process.send?.(message);
const errors: ServerErrorLog = { count: 0 };
let clients: LoadClient[] = [];

async function connectAll(message: Extract<ToGenerator, { type: 'connect' }>): Promise<void> {
  const startedAt = monotonicMs();
  let next = 0;
  const worker = async () => {
    while (next < message.sessions) {
      next++;
      clients.push(await connectLoadClient(message.kind, message.port, errors));
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  send({ type: 'connected', connectMs: monotonicMs() - startedAt });
}

function stream(plan: TrialPlan): Promise<GeneratorReport> {
  const n = clients.length;
  const ticks = plan.warmupTicks + plan.countedTicks;
  const sendDelaysMs: number[] = [];
  let lateSends = 0;
  let sentFrames = 0;
  let tick = 0;
  let index = 0;
  const cpuBefore = process.cpuUsage();
  let resolve: (report: GeneratorReport) => void = () => {};
  const promise = new Promise<GeneratorReport>((done) => {
    resolve = done;
  });
  const pump = () => {
    let now = monotonicMs();
    while (tick < ticks) {
      const dueAt = plan.startAt + tick * FRAME_MS + (index * FRAME_MS) / n;
      if (dueAt > now) {
        setTimeout(pump, dueAt - now);
        return;
      }
      now = monotonicMs();
      clients[index]!.sendFrame(tick, (now - plan.startAt) * 1000);
      if (tick >= plan.warmupTicks) {
        const delayMs = now - dueAt;
        if (delayMs > GENERATOR_LATE_MS) lateSends++;
        if (sentFrames++ % 10 === 0) sendDelaysMs.push(delayMs);
      }
      if (++index === n) {
        index = 0;
        tick++;
      }
    }
    const cpu = process.cpuUsage(cpuBefore);
    resolve({
      sentFrames,
      lateSends,
      sendDelayMs: { p50: quantile(sendDelaysMs, 0.5), p99: quantile(sendDelaysMs, 0.99) },
      cpuShare: (cpu.user + cpu.system) / 1000 / (monotonicMs() - plan.startAt),
      serverErrors: errors.count,
      ...(errors.first === undefined ? {} : { firstServerError: errors.first }),
    });
  };
  setTimeout(pump, plan.startAt - monotonicMs());
  return promise;
}

process.on('message', async (message: ToGenerator) => {
  if (message.type === 'connect') {
    try {
      await connectAll(message);
    } catch (error) {
      send({ type: 'connect-failed', message: String(error) });
    }
  } else if (message.type === 'stream') {
    send({ type: 'streamed', report: await stream(message.plan) });
  } else {
    for (const client of clients) client.close();
    clients = [];
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
