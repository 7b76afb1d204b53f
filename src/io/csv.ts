/**
 * A strict reader for numeric CSV (the CLI's `--input FILE.csv`, `--data csv:FILE`, the
 * playground's upload). Every cell must be a finite number; an optional header line is
 * recognised only when every one of its cells is a name (non-empty and not a number), so a data
 * row with one bad cell is reported (line and column), never swallowed as a header. Lines end in
 * LF, CRLF or a lone CR (classic Mac). Errors name the line and column.
 */
import { ShapeError, ValueError } from '../errors.js';

/** A parsed numeric table. */
export interface NumericTable {
  /** Column names from the header line, or null when the file has none. */
  header: string[] | null;
  rows: number[][];
}

/** The most rows read from one CSV text (a guard against absurd inputs). */
const MAX_CSV_ROWS = 10_000_000;

/** Parses numeric CSV text (comma, semicolon or tab separated; blank lines and # comments skipped). */
export function parseCSV(text: string): NumericTable {
  if (typeof text !== 'string') throw new ValueError('parseCSV: expected the file text as a string');
  const { lines, separator } = splitLines(text);
  let header: string[] | null = null;
  const rows: number[][] = [];
  let width = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(separator).map((c) => c.trim());
    if (width < 0 && header === null && rows.length === 0 && cells.every(isName)) {
      header = cells.map((c) => c.replace(/^"(.*)"$/, '$1'));
      width = cells.length;
      continue;
    }
    if (width < 0) width = cells.length;
    if (cells.length !== width)
      throw new ShapeError(`CSV line ${i + 1} has ${cells.length} cells but the ${header ? 'header' : 'first row'} has ${width} (ragged rows)`);
    const row = cells.map((c, j) => {
      if (!isNumeric(c)) throw new ValueError(`CSV line ${i + 1}, column ${j + 1}: ${JSON.stringify(c.slice(0, 30))} is not a number`);
      return Number(c);
    });
    rows.push(row);
    if (rows.length > MAX_CSV_ROWS) throw new ShapeError(`CSV has more than ${MAX_CSV_ROWS} rows`);
  }
  if (rows.length === 0) throw new ValueError('CSV has no data rows');
  return { header, rows };
}

/** The text's lines (LF, CRLF or lone CR) and the separator its first data line uses. */
function splitLines(text: string): { lines: string[]; separator: string } {
  const lines = text.split(/\r\n|\r|\n/);
  return { lines, separator: detectSeparator(lines.find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '') };
}

function detectSeparator(line: string): string {
  if (line.includes('\t')) return '\t';
  if (line.includes(';') && !line.includes(',')) return ';';
  return ',';
}

/** A header cell: non-empty and not a number (quotes allowed). */
function isName(cell: string): boolean {
  return cell.replace(/^"(.*)"$/, '$1').trim() !== '' && !isNumeric(cell);
}

function isNumeric(cell: string): boolean {
  if (cell === '') return false;
  const v = Number(cell);
  return Number.isFinite(v);
}

/** A table of numeric features with a label column kept as text (class names or numbers). */
export interface LabelledTable {
  /** Column names from the header line, or null. */
  header: string[] | null;
  /** Every column but the last, as numbers. */
  x: number[][];
  /** The last column's cells as written (trimmed, quotes removed). */
  labels: string[];
}

/**
 * Parses CSV text whose last column may hold text labels (`5.1,3.5,setosa`): the other cells
 * must be numbers, as parseCSV checks them. A header line is one whose feature cells are all
 * names. Throws ShapeError / ValueError with line and column; needs at least two columns.
 */
export function parseLabelledCSV(text: string): LabelledTable {
  if (typeof text !== 'string') throw new ValueError('parseLabelledCSV: expected the file text as a string');
  const { lines, separator } = splitLines(text);
  let header: string[] | null = null;
  const x: number[][] = [];
  const labels: string[] = [];
  let width = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(separator).map((c) => c.trim());
    if (width < 0 && cells.length < 2) throw new ShapeError(`CSV line ${i + 1} has ${cells.length} cell; it needs features, then the label`);
    if (width < 0 && header === null && x.length === 0 && cells.every(isName)) {
      header = cells.map(unquote);
      width = cells.length;
      continue;
    }
    if (width < 0) width = cells.length;
    if (cells.length !== width)
      throw new ShapeError(`CSV line ${i + 1} has ${cells.length} cells but the ${header ? 'header' : 'first row'} has ${width} (ragged rows)`);
    x.push(
      cells.slice(0, -1).map((c, j) => {
        if (!isNumeric(c)) throw new ValueError(`CSV line ${i + 1}, column ${j + 1}: ${JSON.stringify(c.slice(0, 30))} is not a number`);
        return Number(c);
      }),
    );
    const label = unquote(cells[width - 1]);
    if (label === '') throw new ValueError(`CSV line ${i + 1}, column ${width}: the label is empty`);
    labels.push(label);
    if (x.length > MAX_CSV_ROWS) throw new ShapeError(`CSV has more than ${MAX_CSV_ROWS} rows`);
  }
  if (x.length === 0) throw new ValueError('CSV has no data rows');
  return { header, x, labels };
}

function unquote(cell: string): string {
  return cell.replace(/^"(.*)"$/, '$1').trim();
}

/** Splits a table into features (every column but the last) and labels (the last column). */
export function splitLabels(table: NumericTable): { x: number[][]; y: number[] } {
  if (table.rows[0].length < 2) throw new ShapeError('CSV needs at least two columns: features, then the label');
  return { x: table.rows.map((r) => r.slice(0, -1)), y: table.rows.map((r) => r[r.length - 1]) };
}

/** Formats rows as CSV text with an optional header. */
export function toCSV(rows: readonly (readonly number[])[], header?: readonly string[]): string {
  const lines = rows.map((r) => r.join(','));
  return (header ? [header.join(','), ...lines] : lines).join('\n') + '\n';
}
