import { defineConfig } from 'vite'

// Builds the bare-baseline page (tests/bench/baseline) for the benchmarks; served
// by the app's server under /__bench/, on the app's own origin, so it reads the same IndexedDB.
export default defineConfig({
  root: 'tests/bench/baseline',
  base: '/__bench/',
  logLevel: 'warn',
  build: { outDir: '../../../dist/__bench', emptyOutDir: true, target: 'es2022' },
})
