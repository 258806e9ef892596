// String formats the canonical schemas use, implemented once for the validator. The JSON Schemas keep the
// standard format names (and patterns) so other tools read them too.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

// The leap year is asked only of a 29 February: code V8 optimized before it met one gives it up when it does.
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (DAYS_IN_MONTH[month] as number) || (month === 2 && day === 29 && isLeapYear(year));
}

/** RFC 3339 full-date: `2026-02-28`, with a real calendar day. */
export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number written by the two ASCII digits at `at`, or -1 where either is not a digit. */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
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
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || yearOfCentury < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || !isCalendarDate(century * 100 + yearOfCentury, month, day)) return false;
  let at = 19;
  if (text.charCodeAt(at) === 46) {
    const fraction = at + 1;
    at = fraction;
    while (at < text.length && isDigit(text.charCodeAt(at))) at += 1;
    if (at === fraction) return false;
  }
  let offset = 0;
  const zone = text[at];
  if (zone === 'Z' || zone === 'z') {
    if (at + 1 !== text.length) return false;
  } else if (zone === '+' || zone === '-') {
    if (at + 6 !== text.length || text.charCodeAt(at + 3) !== 58) return false;
    const offsetHours = twoDigits(text, at + 1);
    const offsetMinutes = twoDigits(text, at + 4);
    if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 23 || offsetMinutes > 59) return false;
    offset = (zone === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  } else return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (second < 60) return true;
  return ((((hour * 60 + minute - offset) % 1440) + 1440) % 1440) === 23 * 60 + 59;
}
