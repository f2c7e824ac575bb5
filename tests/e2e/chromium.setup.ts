import type { TestProject } from 'vitest/node'
import { findChromium } from '../../scripts/chromium.mjs'

// Runs once before the browser tests: finds (or unpacks) the Chromium they drive and
// hands its path to every test file. Without one the run stops here, saying what to run.
export default async function setup(project: TestProject) {
  const { path, source } = await findChromium()
  console.log(`Chromium for the browser tests: ${path} (${source})`)
  project.provide('chromiumPath', path)
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string
  }
}
