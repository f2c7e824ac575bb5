/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import solid from 'vite-plugin-solid'
import tailwindcss from '@tailwindcss/vite'
import { VitePWA } from 'vite-plugin-pwa'
import manifest from './package.json' with { type: 'json' }

// A typo in the build-time signaling address would leave every phone without sync: refuse it.
for (const address of (process.env.VITE_SIGNALING_URL ?? '').split(/[\s,]+/).filter(Boolean)) {
  if (!/^wss?:\/\/[^/\s]+/.test(address)) throw new Error(`VITE_SIGNALING_URL: "${address}" is not a ws:// or wss:// address`)
}

// The live app (src/live.tsx: Yjs, the store, the session) is imported by the entry once
// Today's glance is drawn; hinted in the page as well, the browser fetches and compiles
// it alongside the entry instead of after it. (Marked, so the bundle report does not
// count it as script Today waits for.)
const preloadLiveApp: Plugin = {
  name: 'neighbours-preload-live-app',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(_html, context) {
      const chunks = Object.values(context.bundle ?? {}).filter((c) => c.type === 'chunk')
      const live = chunks.find((c) => c.facadeModuleId?.endsWith('/src/live.tsx'))
      if (!live) return []
      const closure = (fileName: string, files = new Set<string>()): Set<string> => {
        if (files.has(fileName)) return files
        files.add(fileName)
        chunks.find((c) => c.fileName === fileName)?.imports.forEach((f) => closure(f, files))
        return files
      }
      // Less what the page loads already: the entry and its imports.
      const entry = new Set(chunks.filter((c) => c.isEntry).flatMap((c) => [...closure(c.fileName)]))
      return [...closure(live.fileName)].filter((file) => !entry.has(file)).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `/${file}`, 'data-live-app': '' }, injectTo: 'head' as const }))
    },
  },
}

export default defineConfig({
  // Shown in Me → Diagnostics; a build given NEIGHBOURS_BUILD differs from the last (the update test builds twice).
  define: { __APP_BUILD__: JSON.stringify(process.env.NEIGHBOURS_BUILD || manifest.version) },
  plugins: [
    preloadLiveApp,
    solid(),
    tailwindcss(),
    VitePWA({
      // 'prompt': a new version waits until the person taps "update", so a
      // half-filled form is never reloaded away.
      registerType: 'prompt',
      includeAssets: ['icons/*.png'],
      manifest: {
        name: '邻里 Neighbours',
        short_name: '邻里',
        description: '社区互助与志愿服务 · Community help and volunteering, offline first',
        lang: 'zh-CN',
        theme_color: '#9a3412',
        background_color: '#fffbeb',
        display: 'standalone',
        start_url: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: 'index.html',
      },
    }),
  ],
  // The manifest lets scripts/bundle-report.mjs tell what the glance needs from what the live app loads.
  build: { target: 'es2022', reportCompressedSize: true, manifest: true },
  test: {
    // Set here so the Solid plugin does not pick jsdom: unit tests need no DOM.
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/convergence/**/*.test.ts', 'tests/attacks/**/*.test.ts'],
          environment: 'node',
          // NEIGHBOURS_TEST_DATE (npm run test:dates) moves the tests' Date to a chosen day.
          setupFiles: ['tests/clock.setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/chromium.setup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // Each test starts real browsers; two cores cannot run files side by side.
          fileParallelism: false,
        },
      },
      {
        // `npm run bench`, never part of `npm test`: figures, not pass/fail.
        test: {
          name: 'bench',
          include: ['tests/bench/**/*.bench.test.ts'],
          globalSetup: ['tests/e2e/chromium.setup.ts'],
          environment: 'node',
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
