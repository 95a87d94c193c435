import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` serves this page from Vite and the voice agent from the server (port 3000, or
// PORT). The proxy forwards the page's voice connection to the server: `/socket.io` is Socket.IO's
// path, and `ws: true` passes its WebSocket upgrade through. `npm run build` writes the page to
// dist/, which the server then serves itself (no proxy needed).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/socket.io': { target: `http://127.0.0.1:${process.env.PORT ?? 3000}`, ws: true },
    },
  },
});
