/** The app's version, or NEIGHBOURS_BUILD when the build was given one (vite.config.ts). */
declare const __APP_BUILD__: string

interface ImportMetaEnv {
  /** Signaling servers chosen at build time, space or comma separated (wss://…). */
  readonly VITE_SIGNALING_URL?: string
}
