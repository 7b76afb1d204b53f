/**
 * A check JSON.parse does not make: that no object repeats a key (JSON.parse keeps the last one
 * silently, so a file could say two things about one tensor). Walks the text once with a small
 * scanner; the values themselves are left to JSON.parse.
 */
import { ValueError } from '../errors.js';

/** How deep arrays and objects may nest before the text is refused (the formats need 3). */
export const MAX_JSON_DEPTH = 64;

const SCALAR = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;

/**
 * Throws ValueError naming `what` when `text` is not one JSON value, nests deeper than
 * MAX_JSON_DEPTH, or has an object with a repeated key (compared after unescaping).
 */
export function checkStrictJSON(text: string, what: string): void {
  let i = 0;
  const fail = (why: string): never => {
    throw new ValueError(`${what}: ${why} at character ${i}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const str = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid string');
    }
  };
  const value = (depth: number): void => {
    ws();
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
    const c = text[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        if (keys.has(key)) fail(`duplicate key ${JSON.stringify(key)}`);
        keys.add(key);
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        value(depth + 1);
        ws();
        const d = text[i++];
        if (d === '}') return;
        if (d !== ',') fail('expected "," or "}"');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        const d = text[i++];
        if (d === ']') return;
        if (d !== ',') fail('expected "," or "]"');
      }
    } else if (c === '"') {
      str();
    } else {
      SCALAR.lastIndex = i;
      const m = SCALAR.exec(text);
      if (m === null) fail('invalid JSON value');
      i += m![0].length;
    }
  };
  value(0);
  ws();
  if (i !== text.length) fail('text after the JSON value');
}
