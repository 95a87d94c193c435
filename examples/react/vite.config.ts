import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` proxies the voice socket to the Express example (`npm start -w examples/express`).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: false },
  server: { proxy: { '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } } },
});
