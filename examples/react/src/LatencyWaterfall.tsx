import { type TurnMetrics, waterfallSteps } from './waterfall';

const ROW = 22;
const LABEL = 130;
const WIDTH = 560;

/** One turn's latency as a waterfall chart: where the time went after the user stopped talking. */
export function LatencyWaterfall({ metrics }: { metrics: TurnMetrics }) {
  const steps = waterfallSteps(metrics);
  const totalMs = Math.max(1, ...steps.map((step) => step.endMs));
  const scale = (WIDTH - LABEL - 70) / totalMs;
  return (
    <figure className="waterfall" data-turn={metrics.turnId}>
      <figcaption>
        Turn {metrics.turnId} {metrics.interrupted ? '(interrupted)' : ''} — {Math.round(metrics.audioMs)} ms
        of reply audio
      </figcaption>
      {steps.length === 0 ? (
        <p className="muted">no timings for this turn</p>
      ) : (
        <svg width={WIDTH} height={steps.length * ROW + 4} role="img" aria-label="latency waterfall">
          {steps.map((step, i) => (
            <g key={step.label} transform={`translate(0 ${i * ROW})`} data-step={step.label}>
              <text x={0} y={15} className="step-label">
                {step.label}
              </text>
              <rect
                x={LABEL + step.startMs * scale}
                y={4}
                width={Math.max(2, (step.endMs - step.startMs) * scale)}
                height={ROW - 8}
                className={`bar bar-${i}`}
              />
              <text x={LABEL + step.endMs * scale + 6} y={15} className="step-ms" data-ms={step.endMs}>
                {step.endMs} ms
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}
