/** Text for times, durations and values in the tooltip, legend and table. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(utc: boolean): Intl.DateTimeFormat {
  const key = utc ? "utc" : "local";
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      fractionalSecondDigits: 3,
      hourCycle: "h23",
      timeZone: utc ? "UTC" : undefined,
      timeZoneName: "short",
    });
    formatters.set(key, f);
  }
  return f;
}

/** `2024-05-01 14:03:07.250 GMT+2` in the browser's zone, or `… UTC` with `utc`. */
export function formatTime(seconds: number, utc: boolean): string {
  const parts = formatter(utc).formatToParts(new Date(seconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}.${get(
    "fractionalSecond",
  )} ${get("timeZoneName")}`;
}

/** `1h 30m`, `2.5s`, `3d 4h`: short durations for `dt`. */
export function formatDuration(seconds: number): string {
  if (!(seconds > 0)) return "";
  if (seconds < 60) return `${+seconds.toPrecision(4)}s`;
  const units: [string, number][] = [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  const out: string[] = [];
  let rest = Math.round(seconds);
  for (const [name, size] of units) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
    if (out.length === 2) break;
  }
  return out.join(" ");
}

export function formatValue(value: number | null | undefined, kind: "number" | "boolean"): string {
  if (value === null || value === undefined) return "–";
  if (kind === "boolean") return value ? "true" : "false";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(4);
  return value.toLocaleString("en-US", { maximumSignificantDigits: 6 });
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** `just now`, `40 s ago`, `2 min ago`, `3 h ago`, `5 d ago` (or `in 2 min` for a future time). */
export function formatAgo(seconds: number, nowMs: number): string {
  const diff = nowMs / 1000 - seconds;
  const ahead = diff < 0;
  const s = Math.abs(diff);
  if (s < 10) return "just now";
  const text =
    s < 60
      ? `${Math.floor(s)} s`
      : s < 3600
        ? `${Math.floor(s / 60)} min`
        : s < 86400
          ? `${Math.floor(s / 3600)} h`
          : `${Math.floor(s / 86400)} d`;
  return ahead ? `in ${text}` : `${text} ago`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A `datetime-local` input's text for unix seconds, to the millisecond, in the browser's zone or in
 * UTC; whole seconds leave the fraction out.
 */
export function secondsToInput(seconds: number, utc: boolean): string {
  const d = new Date(Math.round(seconds * 1000));
  const [y, mo, da, h, mi, s, ms] = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ];
  const base = `${pad(y, 4)}-${pad(mo)}-${pad(da)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
  return ms ? `${base}.${pad(ms, 3)}` : base;
}

/** Unix seconds of a `datetime-local` input's text (local or UTC), or undefined when unreadable. */
export function inputToSeconds(text: string, utc: boolean): number | undefined {
  if (!/^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text)) return undefined;
  const ms = utc ? Date.parse(`${text}Z`) : new Date(text).getTime();
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
