import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** One benchmark figure, in the shape every results file uses. */
export interface BenchResult {
  /** Dotted, stable name, e.g. `core.overhead.final_to_llm.p99`. */
  metric: string;
  value: number;
  unit: string;
  /** The target as text, e.g. `< 1`. */
  goal: string;
  machine: string;
}

/** `<cpu model>, <cores> cores, node <version>`: where a figure was measured. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${cpu}, ${cpus().length} cores, node ${process.version}`;
}

/** Builds a result with the machine filled in. */
export function result(metric: string, value: number, unit: string, goal: string): BenchResult {
  return { metric, value: Number(value.toPrecision(6)), unit, goal, machine: machineDescription() };
}

/** The q-quantile (0..1) of a list of numbers (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

/**
 * One result per quantile of `values`, named `<metric>.p50` etc., in the order `goals` names
 * them: `...quantileResults('llm.tool_roundtrip_overhead', overheads, 'ms', { p50: '< 1', p99: '< 1' })`.
 */
export function quantileResults(
  metric: string,
  values: readonly number[],
  unit: string,
  goals: { readonly [Q in keyof typeof QUANTILES]?: string },
): BenchResult[] {
  return (Object.keys(goals) as (keyof typeof QUANTILES)[]).map((q) =>
    result(`${metric}.${q}`, quantile(values, QUANTILES[q]), unit, goals[q] ?? ''),
  );
}

/** Prints a table of results and writes them to `bench/results/<name>.json`. */
export function report(name: string, results: readonly BenchResult[]): void {
  console.log(`\n${name}`);
  console.table(results.map(({ metric, value, unit, goal }) => ({ metric, value, unit, goal })));
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
}

/** A benchmark file's default export: runs, reports, returns its results. */
export type Benchmark = () => Promise<readonly BenchResult[]>;
