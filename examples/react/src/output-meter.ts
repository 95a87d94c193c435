/**
 * The page's AudioContext with an AnalyserNode in front of the speakers: the agent's player plays
 * into it, so the page can show how loud the agent is (and prove the reply is not silent).
 */
export function createOutputMeter() {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  analyser.connect(context.destination);
  const samples = new Float32Array(analyser.fftSize);
  return {
    context,
    analyser,
    /** Peak level 0..1 of the last ~45 ms of output. */
    peak(): number {
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      return peak;
    },
  };
}
