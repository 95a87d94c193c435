/** A worklet module bundled at build time (see `build/worklet-plugin.ts`): its code as a string. */
declare module '*?worklet-source' {
  const source: string;
  export default source;
}
