// String formats the canonical schemas use, implemented once for the validator. The JSON Schemas keep the
// standard format names (and patterns) so other tools read them too.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] as number));
}

/** RFC 3339 full-date: `2026-02-28`, with a real calendar day. */
export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The number written by `count` ASCII digits at `start`, or -1 where one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * RFC 3339 date-time with a real calendar day and time. A leap second (:60) is accepted only at 23:59 UTC,
 * as RFC 3339 allows. Read character by character: every timestamp of every record is checked, and a regular
 * expression with nine groups cost five times as much.
 */
export function isDateTime(text: string): boolean {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z or ±HH:MM.
  if (text.length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  const separator = text[10];
  if (separator !== 'T' && separator !== 't' && separator !== ' ') return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || !isCalendarDate(year, month, day)) return false;
  let at = 19;
  if (text.charCodeAt(at) === 46) {
    const fraction = at + 1;
    at = fraction;
    while (at < text.length && digitsAt(text, at, 1) >= 0) at += 1;
    if (at === fraction) return false;
  }
  let offset = 0;
  const zone = text[at];
  if (zone === 'Z' || zone === 'z') {
    if (at + 1 !== text.length) return false;
  } else if (zone === '+' || zone === '-') {
    if (at + 6 !== text.length || text.charCodeAt(at + 3) !== 58) return false;
    const offsetHours = digitsAt(text, at + 1, 2);
    const offsetMinutes = digitsAt(text, at + 4, 2);
    if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 23 || offsetMinutes > 59) return false;
    offset = (zone === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  } else return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (second < 60) return true;
  return ((((hour * 60 + minute - offset) % 1440) + 1440) % 1440) === 23 * 60 + 59;
}
