import { DomainError, ErrorCode } from '@cw/common';
import { buildCreditLines } from './credit-lines';
import { FiscalLine } from './invoice-hash';

const line = (lineNo: number, amountMinor: number, taxMinor: number): FiscalLine => ({
  lineNo,
  kind: 'usage',
  description: `line ${lineNo}`,
  quantity: '1.000',
  unitMinor: amountMinor,
  amountMinor,
  taxRateBp: 2100,
  taxMinor,
  contractId: null,
  bookingId: `b${lineNo}`,
  chargeId: null,
  periodStart: null,
  periodEnd: null,
  correctsLineNo: null,
});

const original = [line(1, 1000, 210), line(2, 50, 11)];
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
};

describe('buildCreditLines', () => {
  it('credits every line in full with the exact negative amounts and taxes', () => {
    const lines = buildCreditLines('INV-1', original, new Map(), { full: true, reason: 'wrong plan' });
    expect(lines.map((l) => [l.lineNo, l.kind, l.amountMinor, l.taxMinor, l.correctsLineNo])).toEqual([
      [1, 'correction', -1000, -210, 1],
      [2, 'correction', -50, -11, 2],
    ]);
  });

  it('credits part of a line, then the rest takes back exactly the tax left', () => {
    const first = buildCreditLines('INV-1', original, new Map(), {
      lines: [{ lineNo: 2, amountMinor: 25 }],
      reason: 'x',
    });
    // 25 * 21% = 5.25 -> 5
    expect(first.map((l) => [l.amountMinor, l.taxMinor])).toEqual([[-25, -5]]);
    const rest = buildCreditLines('INV-1', original, new Map([[2, { amountMinor: 25, taxMinor: 5 }]]), {
      lines: [{ lineNo: 2 }],
      reason: 'x',
    });
    // 25 left; 11 - 5 = 6 of tax left (not round(5.25) = 5)
    expect(rest.map((l) => [l.amountMinor, l.taxMinor])).toEqual([[-25, -6]]);
  });

  it('refuses crediting more than is left, and a fully credited invoice', () => {
    expect(
      codeOf(() =>
        buildCreditLines('INV-1', original, new Map(), {
          lines: [{ lineNo: 2, amountMinor: 51 }],
          reason: 'x',
        }),
      ),
    ).toBe(ErrorCode.Conflict);
    const all = new Map([
      [1, { amountMinor: 1000, taxMinor: 210 }],
      [2, { amountMinor: 50, taxMinor: 11 }],
    ]);
    expect(codeOf(() => buildCreditLines('INV-1', original, all, { full: true, reason: 'x' }))).toBe(
      ErrorCode.Conflict,
    );
  });

  it('refuses lines the invoice does not have, or named twice', () => {
    expect(
      codeOf(() => buildCreditLines('INV-1', original, new Map(), { lines: [{ lineNo: 9 }], reason: 'x' })),
    ).toBe(ErrorCode.Validation);
    expect(
      codeOf(() =>
        buildCreditLines('INV-1', original, new Map(), {
          lines: [{ lineNo: 1 }, { lineNo: 1 }],
          reason: 'x',
        }),
      ),
    ).toBe(ErrorCode.Validation);
  });
});
