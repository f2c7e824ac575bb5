/**
 * Runs `run` once the browser has drawn what the screen shows now, so that work set off
 * at the same time (the transport's loading, the signing of what a tap wrote) does not
 * hold up that frame. A hidden page draws no frames and Node has none: there it runs at
 * the next turn. `atMostMs`: run by then even if no frame has come.
 */
export function afterPaint(run: () => void, atMostMs?: number): void {
  if (typeof requestAnimationFrame !== 'function' || typeof document === 'undefined' || document.hidden) {
    setTimeout(run, 0)
    return
  }
  let ran = false
  const once = () => {
    if (ran) return
    ran = true
    run()
  }
  requestAnimationFrame(() => setTimeout(once, 0))
  if (atMostMs !== undefined) setTimeout(once, atMostMs)
}
