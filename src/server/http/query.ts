import { HttpError } from "./errors.js";

/** What a query parameter decodes to (heedy's strict form decoder, contract 1.5). */
export type ParamKind = "string" | "bool" | "int";

export type QuerySpec = Readonly<Record<string, ParamKind>>;

type Decoded<S extends QuerySpec> = {
  [K in keyof S]?: S[K] extends "bool" ? boolean : S[K] extends "int" ? number : string;
};

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True", "on"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False", ""]);

/** The raw query string of a request URL, without the leading "?". */
export function rawQuery(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? "" : url.slice(q + 1);
}

/**
 * Decodes a query string the way heedy's gorilla/schema decoder does: names match
 * case-insensitively, unknown names are refused, the last repeat wins, and an empty value is the
 * field's zero value. `access_token` is stripped first, since it is an authentication input and
 * heedy's refusal of it on strict endpoints is a known wart (contract 12.22).
 */
export function decodeQuery<S extends QuerySpec>(query: string, spec: S): Decoded<S> {
  const byLower = new Map<string, string>();
  for (const name of Object.keys(spec)) byLower.set(name.toLowerCase(), name);
  const values = new Map<string, string>();
  const errors: string[] = [];
  for (const [rawName, value] of new URLSearchParams(query)) {
    const lower = rawName.toLowerCase();
    if (lower === "access_token") continue;
    const name = byLower.get(lower);
    if (name === undefined) {
      errors.push(`invalid path "${rawName}"`);
      continue;
    }
    values.set(name, value);
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of values) {
    const kind = spec[name];
    if (kind === "string") out[name] = value;
    else if (kind === "bool") {
      if (TRUE.has(value)) out[name] = true;
      else if (FALSE.has(value)) out[name] = false;
      else errors.push(`error converting value for "${name}"`);
    } else {
      if (value === "") out[name] = 0;
      else if (/^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value))) out[name] = Number(value);
      else errors.push(`error converting value for "${name}"`);
    }
  }
  if (errors.length > 0) {
    const more = errors.length - 1;
    const suffix = more === 0 ? "" : more === 1 ? " (and 1 other error)" : ` (and ${more} other errors)`;
    throw new HttpError(400, `schema: ${errors[0]}${suffix}`);
  }
  return out as Decoded<S>;
}
