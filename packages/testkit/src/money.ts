// Money as integer minor units while computing, decimal strings on the wire ("12.50"), as real APIs do, so
// totals add up exactly and no float ever reaches a response.

/** Digits after the decimal point (ISO 4217 exponent) of the currencies the data uses. */
const EXPONENTS: Record<string, number> = { EUR: 2, USD: 2, GBP: 2, JPY: 0 };

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** Formats minor units as a decimal string: (1250, 'EUR') → "12.50", (1200, 'JPY') → "1200". */
export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Parses a decimal string into minor units: ("12.5", 'EUR') → 1250. */
export function parseMinor(amount: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0').slice(0, exponent) || '0');
  return amount.startsWith('-') ? -minor : minor;
}

/** Converts minor units between currencies at a fixed rate per EUR, rounding half up. */
export function convertMinor(minor: number, from: string, to: string): number {
  const RATES: Record<string, number> = { EUR: 1, USD: 1.08, GBP: 0.86, JPY: 162 };
  const major = minor / 10 ** currencyExponent(from);
  const converted = (major / (RATES[from] ?? 1)) * (RATES[to] ?? 1);
  return Math.round(converted * 10 ** currencyExponent(to));
}

/** A percentage of an amount in minor units, rounded half up. */
export function percentOf(minor: number, percent: number): number {
  return Math.round((minor * percent) / 100);
}
