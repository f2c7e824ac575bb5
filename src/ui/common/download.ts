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

/** CSV that spreadsheet apps open with Chinese intact: papaparse quotes, a BOM marks UTF-8. */
export async function downloadCsv(filename: string, rows: (string | number)[][]): Promise<void> {
  const { unparse } = await import('papaparse')
  downloadText(filename, '\ufeff' + unparse(rows, { newline: '\r\n' }), 'text/csv')
}
