/**
 * A page init script (run before the app's own scripts) that puts the page in a room with
 * speakers and a weak echo canceller: everything the page plays to its speakers comes back into
 * the microphone stream `getUserMedia` returns, `delayMs` later, `gainDb` quieter and
 * band-limited — after the browser's own echo cancellation, so nothing removes it.
 * `window.__echoPeak` holds the loudest echo sample sent into the microphone, to prove the loop
 * carried sound.
 */
export function echoLoopScript({ delayMs, gainDb }: { delayMs: number; gainDb: number }): string {
  return `(() => {
    const room = new AudioContext();
    const echoBus = room.createGain();
    const meter = room.createAnalyser();
    echoBus.connect(meter);
    window.__echoPeak = 0;
    const samples = new Float32Array(meter.fftSize);
    setInterval(() => {
      meter.getFloatTimeDomainData(samples);
      for (const s of samples) window.__echoPeak = Math.max(window.__echoPeak, Math.abs(s));
    }, 50);
    const connect = AudioNode.prototype.connect;
    AudioNode.prototype.connect = function (destination, ...rest) {
      const result = connect.call(this, destination, ...rest);
      if (destination instanceof AudioDestinationNode && this.context !== room) {
        // The speakers: a tap of what is played, carried to the microphone's room.
        const tap = this.context.createMediaStreamDestination();
        connect.call(this, tap);
        const speaker = room.createMediaStreamSource(tap.stream);
        const delay = room.createDelay(1);
        delay.delayTime.value = ${delayMs / 1000};
        const band = room.createBiquadFilter();
        band.type = 'bandpass';
        band.frequency.value = 1000;
        band.Q.value = 0.3;
        const gain = room.createGain();
        gain.gain.value = ${10 ** (gainDb / 20)};
        connect.call(speaker, delay);
        connect.call(delay, band);
        connect.call(band, gain);
        connect.call(gain, echoBus);
      }
      return result;
    };
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const microphone = await getUserMedia(constraints);
      await room.resume();
      const mixed = room.createMediaStreamDestination();
      mixed.channelCount = 1;
      connect.call(room.createMediaStreamSource(microphone), mixed);
      connect.call(echoBus, mixed);
      return mixed.stream;
    };
  })();`;
}
