/** Hands a text file to the browser as a download (CSV, iCalendar). */
export function downloadText(filename: string, text: string, mime: string): void {
  download(filename, new Blob([text], { type: `${mime};charset=utf-8` }))
}

/** Hands a file to the browser as a download. */
export function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

// A cell starting with = + - @ tab or CR is a live formula in Excel or WPS, and names,
// titles and notes are typed by anyone: such cells get a leading ' (the text stays
// readable). Only strings are touched, so numeric cells (hours, counts, yuan) stay
// numbers. Our own pattern, not `true`: papaparse's own (/^[=+\-@\t\r].*$/) misses a
// cell with a line break in it, as a multi-line note has.
const FORMULA_START = /^[=+\-@\t\r]/

/** The text of a CSV that spreadsheet apps open with Chinese intact: papaparse quotes, a BOM marks UTF-8. */
export async function csvText(rows: (string | number)[][]): Promise<string> {
  const { unparse } = await import('papaparse')
  return '\ufeff' + unparse(rows, { newline: '\r\n', escapeFormulae: FORMULA_START })
}

/** Hands `rows` to the browser as a CSV download. */
export async function downloadCsv(filename: string, rows: (string | number)[][]): Promise<void> {
  downloadText(filename, await csvText(rows), 'text/csv')
}
