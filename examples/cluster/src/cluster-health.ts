import type { TransportStats } from '@voxduplex/transport-socketio';
import type { Namespace, Server } from 'socket.io';

/** One worker's own view: its transport counters and the sessions it runs. */
export interface WorkerReport {
  readonly pid: number;
  readonly providers: string;
  readonly stats: TransportStats;
  readonly sessionIds: readonly string[];
  /** Provider streams open in this worker; `null` when the providers cannot count them. */
  readonly openProviderStreams: number | null;
  /** Whether this worker's connection to the session store (Redis) is up. */
  readonly sessionStoreReady: boolean;
  /** Engine.IO connections open on this worker: what the primary's least-connection balancing counts. */
  readonly engineConnections: number;
}

/** What `GET /health` answers, whichever worker the request reaches. */
export interface ClusterHealth {
  /** The worker that answered. */
  readonly answeredBy: number;
  /** Every live worker's report (this one's and the others' over Redis), by pid. */
  readonly workers: readonly WorkerReport[];
  /** Voice sockets per worker pid, as `fetchSockets()` sees them across the cluster. */
  readonly voiceSocketsByWorker: Readonly<Record<string, number>>;
}

/** The server-side event a worker answers with its {@link WorkerReport}. */
export interface ClusterEvents {
  'vox:worker-report': (ack: (report: WorkerReport) => void) => void;
}

/** What each voice socket carries, so any worker can tell where a remote socket lives. */
export interface VoiceSocketData {
  workerPid: number;
}

/** Answers the other workers' report requests (sent by {@link gatherClusterHealth}). */
export function answerWorkerReports(
  io: Server<never, never, ClusterEvents, VoiceSocketData>,
  report: () => WorkerReport,
): void {
  io.on('vox:worker-report', (ack) => ack(report()));
}

/**
 * Builds the cluster-wide health from one worker: a server-side event with acknowledgements
 * collects every other worker's report, and `fetchSockets()` lists the voice sockets of all of
 * them. Both travel through the Redis adapter, so they show it working. A worker that does not
 * answer within the adapter's `requestsTimeout` is left out.
 */
export async function gatherClusterHealth(
  io: Server<never, never, ClusterEvents, VoiceSocketData>,
  voice: Namespace<never, never, ClusterEvents, VoiceSocketData>,
  report: () => WorkerReport,
): Promise<ClusterHealth> {
  const others = io
    .serverSideEmitWithAck('vox:worker-report')
    .catch((error: Error & { responses?: WorkerReport[] }) => error.responses ?? []);
  const [reports, sockets] = await Promise.all([others, voice.fetchSockets()]);
  const voiceSocketsByWorker: Record<string, number> = {};
  for (const socket of sockets) {
    const pid = String(socket.data.workerPid);
    voiceSocketsByWorker[pid] = (voiceSocketsByWorker[pid] ?? 0) + 1;
  }
  const workers = [report(), ...reports].sort((a, b) => a.pid - b.pid);
  return { answeredBy: process.pid, workers, voiceSocketsByWorker };
}
