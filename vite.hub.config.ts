import { defineConfig } from 'vite'

// The hub process (src/hub/main.ts) built for Node: its packages stay in node_modules
// (y-webrtc with this project's patch, node-datachannel's native binary).
export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'src/hub/main.ts',
    outDir: 'dist-hub',
    target: 'node20',
    emptyOutDir: true,
    rollupOptions: { output: { entryFileNames: 'hub.mjs' } },
  },
})
