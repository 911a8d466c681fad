/**
 * A JSON parser that remembers where each value starts, so the raw editor can show an error at
 * its line: syntax errors at the offending character, and meta-schema errors (which ajv reports
 * as a JSON pointer into the schema) at the value the pointer names.
 */

export interface Position {
  line: number;
  column: number;
}

export type ParseResult =
  | { ok: true; value: unknown; locate(pointer: string): Position }
  | { ok: false; message: string; position: Position };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Escapes a property name for a JSON pointer (RFC 6901). */
export function pointerSegment(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function parseWithPositions(text: string): ParseResult {
  const offsets = new Map<string, number>();
  let i = 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const describe = (at: number) => (at >= text.length ? "end of text" : JSON.stringify(text[at]));

  const parseString = (): string => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        try {
          return JSON.parse(text.slice(start, i)) as string;
        } catch {
          return fail("Invalid escape in string", start);
        }
      }
      if (c === "\\") i += 2;
      else if (c === "\n") return fail("Unterminated string", start);
      else i++;
    }
    return fail("Unterminated string", start);
  };

  const parseValue = (pointer: string): unknown => {
    ws();
    offsets.set(pointer, i);
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`Expected a property name in double quotes, found ${describe(i)}`);
        const keyStart = i;
        const key = parseString();
        if (Object.hasOwn(obj, key)) fail(`Duplicate property ${JSON.stringify(key)}`, keyStart);
        ws();
        if (text[i] !== ":") fail(`Expected ":" after the property name, found ${describe(i)}`);
        i++;
        obj[key] = parseValue(`${pointer}/${pointerSegment(key)}`);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail(`Expected "," or "}", found ${describe(i)}`);
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(`${pointer}/${arr.length}`));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail(`Expected "," or "]", found ${describe(i)}`);
      }
    }
    if (c === '"') return parseString();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return JSON.parse(literal[0]) as unknown;
    }
    return fail(`Unexpected ${describe(i)}`);
  };

  try {
    const value = parseValue("");
    ws();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON value`);
    return {
      ok: true,
      value,
      locate(pointer: string): Position {
        // ajv may point below a value the text has (e.g. a missing keyword): walk up to one it has.
        let p = pointer;
        while (!offsets.has(p) && p !== "") p = p.slice(0, p.lastIndexOf("/"));
        return positionAt(text, offsets.get(p) ?? 0);
      },
    };
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return { ok: false, message: e.message, position: positionAt(text, e.offset) };
    }
    throw e;
  }
}
