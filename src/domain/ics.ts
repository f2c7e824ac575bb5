// iCalendar (RFC 5545) text for calendar apps. Times are "floating" local times
// (no time zone), which every common calendar app imports as the phone's local
// time: right for a community that lives in one time zone.

export interface CalendarEvent {
  uid: string
  title: string
  date: string // YYYY-MM-DD
  start: string // HH:mm
  end: string // HH:mm
  location?: string
  description?: string
  /** e.g. 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270101T235959' */
  rrule?: string
}

/** Backslash, semicolon, comma and newlines must be escaped in TEXT values. */
export function escapeText(text: string): string {
  // A lone carriage return ends a line for some calendar apps as much as CRLF does.
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
}

/** Lines longer than 75 octets are folded: CRLF plus a space, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder()
  const parts: string[] = []
  let current = ''
  let size = 0
  for (const char of line) {
    const bytes = encoder.encode(char).length
    const limit = parts.length === 0 ? 75 : 74 // continuation lines start with a space
    if (size + bytes > limit) {
      parts.push(current)
      current = ''
      size = 0
    }
    current += char
    size += bytes
  }
  parts.push(current)
  return parts.join('\r\n ')
}

const compactDate = (date: string) => date.replace(/-/g, '')
const compactTime = (time: string) => time.replace(':', '') + '00'

function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

export function calendarText(name: string, events: readonly CalendarEvent[], now = new Date()): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Neighbours//邻里//ZH', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${escapeText(name)}`]
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${utcStamp(now)}`,
      `DTSTART:${compactDate(event.date)}T${compactTime(event.start)}`,
      `DTEND:${compactDate(event.date)}T${compactTime(event.end)}`,
      `SUMMARY:${escapeText(event.title)}`,
    )
    if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`)
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`)
    if (event.rrule) lines.push(`RRULE:${event.rrule}`)
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
