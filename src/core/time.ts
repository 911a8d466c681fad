/**
 * Time values of timeseries queries (`t`, `t1`, `t2`), contract 8.4.
 *
 * Order: a Go float literal is unix seconds; a string starting with `now` is now plus an offset
 * expression; otherwise an RFC 3339 timestamp. Errors are thrown as `Error`s whose message is
 * heedy's internal error string (contract 1.4), e.g. `unknown unit in duration: "x"`, so the wire
 * type comes out as `server_error` exactly as in heedy.
 *
 * Pure: runs unchanged in the browser (no Node APIs).
 */

/** The Go layout heedy parses absolute timestamps with. */
const RFC3339_LAYOUT = "2006-01-02T15:04:05Z07:00";

/** Fixed-length units, in seconds (heedy's duration parser, contract 8.4: day = 24 h). */
const FIXED_UNITS: ReadonlyMap<string, number> = new Map([
  ["ns", 1e-9],
  ["us", 1e-6],
  ["µs", 1e-6],
  ["μs", 1e-6],
  ["ms", 1e-3],
  ["s", 1],
  ["sec", 1],
  ["second", 1],
  ["seconds", 1],
  ["m", 60],
  ["min", 60],
  ["minute", 60],
  ["minutes", 60],
  ["h", 3600],
  ["hr", 3600],
  ["hour", 3600],
  ["hours", 3600],
  ["d", 86400],
  ["day", 86400],
  ["days", 86400],
  ["w", 604800],
  ["wk", 604800],
  ["week", 604800],
  ["weeks", 604800],
]);
const MONTH_UNITS: ReadonlySet<string> = new Set(["mo", "mon", "month", "months"]);
const YEAR_UNITS: ReadonlySet<string> = new Set(["y", "yr", "year", "years"]);

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go's `strconv.ParseFloat(s, 64)`: decimal and hexadecimal float literals, `Inf`/`Infinity`/`NaN`
 * in any case. Returns undefined when Go would fail (syntax, or out of range: ±Inf with ErrRange).
 */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL_FLOAT.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  const special = SPECIAL_FLOAT.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const hex = HEX_FLOAT.exec(s);
  if (hex) {
    const intPart = hex[2] ?? "";
    const fracPart = hex[3] ?? "";
    if (intPart === "" && fracPart === "") return undefined;
    let mantissa = 0;
    for (const c of intPart + fracPart) mantissa = mantissa * 16 + Number.parseInt(c, 16);
    const v = mantissa * 2 ** (Number(hex[4]) - 4 * fracPart.length);
    if (!Number.isFinite(v)) return undefined;
    return hex[1] === "-" ? -v : v;
  }
  return undefined;
}

/**
 * Adds heedy's offset expression (the text after `now`) to `base`, contract 8.4. Follows heedy's
 * parser (karrick/tparse AddDuration) with the fixes of contract 12.14: each term's number is parsed
 * on its own (heedy carried the decimal state over), and a number at the very end without a unit is
 * an error instead of a crash.
 */
export function addOffset(base: Date, offset: string): Date {
  let s = offset;
  let negative = false;
  let totalYears = 0;
  let totalMonths = 0;
  let totalSeconds = 0;
  while (s !== "") {
    const termStart = s;
    if (s[0] === "+" || s[0] === "-") {
      if (s.length === 1) throw new Error(`cannot parse sign without digits: '${s[0]}'`);
      negative = s[0] === "-";
      s = s.slice(1);
    }
    let i = 0;
    let whole = 0;
    let fraction = 0;
    let fractionDigits = -1;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        if (fractionDigits >= 0) {
          fraction = fraction * 10 + (c - 48);
          fractionDigits++;
        } else {
          whole = whole * 10 + (c - 48);
        }
      } else if (c === 46) {
        if (fractionDigits >= 0) {
          throw new Error("invalid floating point number format: two decimal points found");
        }
        fractionDigits = 0;
      } else {
        break;
      }
    }
    const sawNumber = i > 0;
    s = s.slice(i);
    let number = whole + (fractionDigits > 0 ? fraction * 10 ** -fractionDigits : 0);
    if (negative) number = -number;
    let u = 0;
    while (u < s.length) {
      const c = s.charCodeAt(u);
      if (c === 43 || c === 45 || (c >= 48 && c <= 57)) break;
      u++;
    }
    const unit = s.slice(0, u);
    s = s.slice(u);
    if (unit === "" && sawNumber) {
      // heedy drops the connection here (contract 12.14); we name the term that lacks its unit.
      const term = termStart.slice(0, termStart.length - s.length);
      throw new Error(`missing unit in duration: "${term}"`);
    }
    const fixed = FIXED_UNITS.get(unit);
    if (fixed !== undefined) totalSeconds += number * fixed;
    else if (MONTH_UNITS.has(unit)) totalMonths += number;
    else if (YEAR_UNITS.has(unit)) totalYears += number;
    else throw new Error(`unknown unit in duration: ${goQuote(unit)}`);
  }
  // Calendar arithmetic as heedy does it: fractional years become months (x12), fractional months
  // become days (x30), fractional days become seconds; then AddDate in local time, then the rest.
  const years = Math.trunc(totalYears);
  totalMonths += 12 * (totalYears - years);
  const months = Math.trunc(totalMonths);
  const daysFloat = 30 * (totalMonths - months);
  const days = Math.trunc(daysFloat);
  totalSeconds += (daysFloat - days) * 86400;
  let result = base;
  if (years !== 0 || months !== 0 || days !== 0) {
    result = new Date(
      base.getFullYear() + years,
      base.getMonth() + months,
      base.getDate() + days,
      base.getHours(),
      base.getMinutes(),
      base.getSeconds(),
      base.getMilliseconds(),
    );
    // Date's constructor maps two-digit years to 19xx; fix the year explicitly.
    if (base.getFullYear() + years < 100) result.setFullYear(base.getFullYear() + years);
  }
  return totalSeconds === 0 ? result : new Date(result.getTime() + totalSeconds * 1000);
}

/** Go's %q for the ASCII/BMP strings that occur here. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

class GoParseError extends Error {}

/**
 * Go's `time.Parse(time.RFC3339, value)`, returning unix seconds, with Go's error messages
 * (`parsing time "foo" as "2006-01-02T15:04:05Z07:00": cannot parse "foo" as "2006"`).
 */
export function parseRfc3339(value: string): number {
  let rest = value;
  const fail = (layoutElem: string): never => {
    throw new GoParseError(
      `parsing time ${goQuote(value)} as ${goQuote(RFC3339_LAYOUT)}: cannot parse ${goQuote(rest)} as ${goQuote(layoutElem)}`,
    );
  };
  const rangeError = (what: string): never => {
    throw new GoParseError(`parsing time ${goQuote(value)}: ${what} out of range`);
  };
  const digits = (n: number, layoutElem: string): number => {
    for (let k = 0; k < n; k++) {
      const c = rest.charCodeAt(k);
      if (!(c >= 48 && c <= 57)) fail(layoutElem);
    }
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const literal = (lit: string): void => {
    if (!rest.startsWith(lit)) fail(lit);
    rest = rest.slice(lit.length);
  };
  const year = digits(4, "2006");
  literal("-");
  const month = digits(2, "01");
  if (month < 1 || month > 12) rangeError("month");
  literal("-");
  const day = digits(2, "02");
  literal("T");
  // Go reads the hour element "15" with one or two digits.
  let hour: number;
  {
    const c0 = rest.charCodeAt(0);
    const c1 = rest.charCodeAt(1);
    if (!(c0 >= 48 && c0 <= 57)) fail("15");
    hour = c1 >= 48 && c1 <= 57 ? digits(2, "15") : digits(1, "15");
  }
  if (hour > 23) rangeError("hour");
  literal(":");
  const minute = digits(2, "04");
  if (minute > 59) rangeError("minute");
  literal(":");
  const second = digits(2, "05");
  if (second > 59) rangeError("second");
  let fractionSeconds = 0;
  if ((rest[0] === "." || rest[0] === ",") && /^[.,]\d/.test(rest)) {
    let n = 1;
    while (n < rest.length && rest.charCodeAt(n) >= 48 && rest.charCodeAt(n) <= 57) n++;
    fractionSeconds = Number(`0.${rest.slice(1, n)}`);
    rest = rest.slice(n);
  }
  let offsetSeconds = 0;
  if (rest.startsWith("Z")) {
    rest = rest.slice(1);
  } else {
    if (rest.length < 6 || rest[3] !== ":" || (rest[0] !== "+" && rest[0] !== "-")) fail("Z07:00");
    const hh = rest.slice(1, 3);
    const mm = rest.slice(4, 6);
    if (!/^\d\d$/.test(hh) || !/^\d\d$/.test(mm)) fail("Z07:00");
    if (Number(hh) > 24) rangeError("time zone offset hour");
    if (Number(mm) > 60) rangeError("time zone offset minute");
    offsetSeconds = (Number(hh) * 3600 + Number(mm) * 60) * (rest[0] === "-" ? -1 : 1);
    rest = rest.slice(6);
  }
  if (rest !== "") {
    throw new GoParseError(`parsing time ${goQuote(value)}: extra text: ${goQuote(rest)}`);
  }
  if (day < 1 || day > daysIn(month, year)) rangeError("day");
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0..99 to 19xx.
  const ms = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return ms / 1000 + fractionSeconds - offsetSeconds;
}

/**
 * Parses a time value of contract 8.4 into unix seconds. `now` is the reference for `now...`
 * strings (defaults to the current time). Throws an Error carrying heedy's internal message.
 */
export function parseTime(value: string, now: Date = new Date()): number {
  const f = parseGoFloat(value);
  if (f !== undefined) return f;
  if (value.startsWith("now")) return addOffset(now, value.slice(3)).getTime() / 1000;
  return parseRfc3339(value);
}
