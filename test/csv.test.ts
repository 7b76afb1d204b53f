// The strict numeric CSV reader.
import { describe, expect, it } from 'vitest';
import { parseCSV, splitLabels, toCSV } from '../src/io/csv.js';
import { ShapeError, ValueError } from '../src/errors.js';

describe('parseCSV', () => {
  it('reads rows with or without a header, any of , ; tab', () => {
    expect(parseCSV('x1,x2,label\n0.5,1,0\n-2,3e-1,1\n')).toEqual({
      header: ['x1', 'x2', 'label'],
      rows: [
        [0.5, 1, 0],
        [-2, 0.3, 1],
      ],
    });
    expect(parseCSV('1;2\n3;4').rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseCSV('# comment\n1\t2\n\n3\t4\r\n').rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('names the line and column of ragged rows and non-numeric cells', () => {
    expect(() => parseCSV('1,2,3\n4,5\n')).toThrow(ShapeError);
    expect(() => parseCSV('1,2,3\n4,5\n')).toThrow(/line 2 has 2 cells but the first row has 3/);
    expect(() => parseCSV('a,b\n1,2\n3,x\n')).toThrow(/line 3, column 2: "x" is not a number/);
    expect(() => parseCSV('1,NaN\n')).toThrow(ValueError);
    expect(() => parseCSV('1,Infinity\n')).toThrow(ValueError);
    expect(() => parseCSV('\n\n')).toThrow(/no data rows/);
  });

  it('never swallows a malformed first data row as a header', () => {
    // A bad cell in the first row used to turn that row into a header and drop it silently.
    expect(() => parseCSV('1,x,0\n3,4,1\n')).toThrow(/CSV line 1, column 2: "x" is not a number/);
    expect(() => parseCSV('0.5,,1\n3,4,1\n')).toThrow(/CSV line 1, column 2: "" is not a number/);
    expect(() => parseCSV('# data\n1,NaN\n')).toThrow(/CSV line 2, column 2: "NaN" is not a number/);
    // A header is a row of names only; quoted names count.
    expect(parseCSV('"a","b"\n1,2\n')).toEqual({ header: ['a', 'b'], rows: [[1, 2]] });
    expect(parseCSV('1,2\n3,4\n').header).toBeNull();
  });

  it('reads CR-only (classic Mac) line endings and mixed endings', () => {
    expect(parseCSV('a,b\r1,2\r3,4\r')).toEqual({
      header: ['a', 'b'],
      rows: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(parseCSV('1,2\r\n3,4\r5,6\n').rows).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => parseCSV('1,2\r3\r')).toThrow(/CSV line 2 has 1 cells but the first row has 2/);
  });

  it('splits features and labels, and writes CSV back', () => {
    const t = parseCSV('1,2,0\n3,4,1\n');
    expect(splitLabels(t)).toEqual({
      x: [
        [1, 2],
        [3, 4],
      ],
      y: [0, 1],
    });
    expect(
      toCSV(
        [
          [1, 2],
          [3, 4],
        ],
        ['a', 'b'],
      ),
    ).toBe('a,b\n1,2\n3,4\n');
    expect(() => splitLabels(parseCSV('1\n2\n'))).toThrow(/two columns/);
  });
});
