import { csvLine, textCell, toCsv } from './csv';
import { formatMinor, minorDigits } from './money';

describe('csv (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, and doubles quotes', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 12, null])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",12,\r\n',
    );
  });

  it('ends every record with CRLF, header first', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 2],
          ['x', null],
        ],
      ),
    ).toBe('a,b\r\n1,2\r\nx,\r\n');
  });

  it('defuses text cells that a spreadsheet would run as a formula', () => {
    expect(textCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(textCell('@cmd')).toBe("'@cmd");
    expect(textCell('Acme, S.L.')).toBe('Acme, S.L.');
    expect(textCell(null)).toBeNull();
  });
});

describe('formatMinor', () => {
  it("writes minor units as an exact decimal in the currency's digits", () => {
    expect(formatMinor(123456, 'EUR')).toBe('1234.56');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(-1205, 'EUR')).toBe('-12.05');
    expect(formatMinor(0, 'EUR')).toBe('0.00');
    expect(formatMinor(1500, 'JPY')).toBe('1500');
    expect(formatMinor(1500, 'KWD')).toBe('1.500');
    expect(minorDigits('USD')).toBe(2);
  });

  it('refuses fractional minor units', () => {
    expect(() => formatMinor(1.5, 'EUR')).toThrow(RangeError);
  });
});
