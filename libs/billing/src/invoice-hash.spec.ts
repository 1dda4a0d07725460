import { canonicalInvoice, canonicalJson, FiscalInvoice, FiscalLine, invoiceHash } from './invoice-hash';
import { checkSeries, ChainRecord } from './chain-check';

const invoice = (number: number, previousHash: string | null, totalMinor = 1210): FiscalInvoice => ({
  siteId: 's1',
  id: `INV-${number}`,
  series: 'INV',
  number,
  kind: 'invoice',
  memberId: 'm1',
  companyId: null,
  buyer: { type: 'member', id: 'm1', name: 'Ana' },
  currency: 'EUR',
  periodStart: '2024-06-01',
  periodEnd: '2024-07-01',
  issueDate: '2024-07-01',
  dueDate: '2024-07-15',
  subtotalMinor: 1000,
  taxMinor: totalMinor - 1000,
  totalMinor,
  correctsId: null,
  note: null,
  issuedAt: '2024-07-01T08:00:00.000Z',
  previousHash,
});

const line: FiscalLine = {
  lineNo: 1,
  kind: 'membership',
  description: 'Flex desk',
  quantity: '1.000',
  unitMinor: 1000,
  amountMinor: 1000,
  taxRateBp: 2100,
  taxMinor: 210,
  contractId: 'c1',
  bookingId: null,
  chargeId: null,
  periodStart: '2024-06-01',
  periodEnd: '2024-07-01',
  correctsLineNo: null,
};

describe('canonical serialization', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: null, e: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[2,{"e":"x","f":null}]},"b":1}',
    );
  });

  it('gives the same bytes whatever the key order of the buyer document', () => {
    const a = invoice(1, null);
    const b = { ...a, buyer: { name: 'Ana', id: 'm1', type: 'member' } };
    expect(canonicalInvoice(a, [line])).toBe(canonicalInvoice(b, [line]));
    expect(invoiceHash(a, [line])).toBe(invoiceHash(b, [line]));
  });

  it('orders lines by number, not by the order they were read in', () => {
    const second = { ...line, lineNo: 2, description: 'Usage' };
    expect(invoiceHash(invoice(1, null), [second, line])).toBe(invoiceHash(invoice(1, null), [line, second]));
  });

  it('changes with any fiscal field, a line, or the previous hash', () => {
    const base = invoiceHash(invoice(1, null), [line]);
    expect(invoiceHash(invoice(1, null, 1211), [line])).not.toBe(base);
    expect(invoiceHash(invoice(1, 'abc'), [line])).not.toBe(base);
    expect(invoiceHash(invoice(1, null), [{ ...line, description: 'Fixed desk' }])).not.toBe(base);
    expect(invoiceHash(invoice(1, null), [])).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses values that have no single canonical form', () => {
    expect(() => canonicalJson({ at: new Date() })).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => invoiceHash({ ...invoice(1, null), note: undefined as unknown as null }, [line])).toThrow(
      TypeError,
    );
  });
});

describe('checkSeries', () => {
  const chain = (count: number): ChainRecord[] => {
    const records: ChainRecord[] = [];
    let previous: string | null = null;
    for (let n = 1; n <= count; n++) {
      const inv = invoice(n, previous);
      const hash = invoiceHash(inv, [line]);
      records.push({ invoice: inv, lines: [line], hash });
      previous = hash;
    }
    return records;
  };
  const headOf = (records: ChainRecord[]) => ({
    series: 'INV',
    nextNumber: records.length + 1,
    lastHash: records.at(-1)?.hash ?? null,
  });

  it('accepts an intact chain and an empty series', () => {
    const records = chain(4);
    expect(checkSeries(headOf(records), records)).toEqual([]);
    expect(checkSeries({ series: 'INV', nextNumber: 1, lastHash: null }, [])).toEqual([]);
  });

  it('names exactly the altered record', () => {
    const records = chain(4);
    records[1] = { ...records[1], invoice: { ...records[1].invoice, totalMinor: 1, taxMinor: -999 } };
    expect(checkSeries(headOf(chain(4)), records)).toEqual([
      { series: 'INV', number: 2, reason: expect.stringContaining('altered') },
    ]);
  });

  it('reports a gap in the numbers', () => {
    const records = chain(4);
    records.splice(2, 1);
    const broken = checkSeries(headOf(chain(4)), records);
    expect(broken[0]).toMatchObject({ number: 4, reason: expect.stringContaining('gap') });
  });

  it('reports a removed last record through the series head', () => {
    const records = chain(3);
    const head = headOf(records);
    expect(checkSeries(head, records.slice(0, 2))).toEqual([
      { series: 'INV', number: 3, reason: expect.stringContaining('expects number 4') },
    ]);
  });

  it('reports a relinked record whose previous hash was rewritten', () => {
    const records = chain(3);
    const relinked = { ...records[2].invoice, previousHash: 'f'.repeat(64) };
    records[2] = { invoice: relinked, lines: [line], hash: invoiceHash(relinked, [line]) };
    const broken = checkSeries({ ...headOf(records) }, records);
    expect(broken).toEqual([{ series: 'INV', number: 3, reason: expect.stringContaining('previous_hash') }]);
  });
});
