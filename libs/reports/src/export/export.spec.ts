import { tableFromIPC } from 'apache-arrow';
import { fixtureKpis } from '../testing/report-fixtures';
import { kpiTableArrow } from './arrow';
import { csvField, kpiTableCsv } from './csv';
import { KPI_TABLE_COLUMNS, kpiTableRows } from './kpi-table';

const snapshot = () => {
  const s = fixtureKpis('s1', 'month', '2025-03-01');
  s.perResource[1] = {
    ...s.perResource[1],
    utilisation: null,
    reasons: { utilisation: 'the resource has no sensors' },
  };
  s.perResource[2] = { ...s.perResource[2], resourceName: '=HYPERLINK("x"), line\nbreak' };
  return s;
};

describe('CSV of the KPI table', () => {
  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain', 'text')).toBe('plain');
    expect(csvField('a,b', 'text')).toBe('"a,b"');
    expect(csvField('say "hi"', 'text')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', 'text')).toBe('"two\nlines"');
    expect(csvField(null, 'number')).toBe('');
    expect(csvField(0.25, 'number')).toBe('0.25');
    expect(csvField(-3, 'number')).toBe('-3');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1', 'text')).toBe("'=1+1");
    expect(csvField('@cmd', 'text')).toBe("'@cmd");
    expect(csvField('-x', 'text')).toBe("'-x");
  });

  it('writes a header and one CRLF line per resource, empty cells for missing figures', () => {
    const rows = kpiTableRows(snapshot());
    const csv = kpiTableCsv(rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    const header = csv.split('\r\n')[0];
    expect(header.split(',')).toEqual(KPI_TABLE_COLUMNS.map((c) => c.name));
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + rows.length);
    const room2 = csv.split('\r\n')[2].split(',');
    expect(room2[KPI_TABLE_COLUMNS.findIndex((c) => c.name === 'utilisation')]).toBe('');
    expect(room2.at(-1)).toBe('utilisation: the resource has no sensors');
    expect(csv).toContain('"\'=HYPERLINK(""x""), line\nbreak"');
  });
});

describe('Arrow IPC file of the KPI table', () => {
  it('reads back with apache-arrow to the same rows, nulls kept', () => {
    const rows = kpiTableRows(snapshot());
    const file = kpiTableArrow(rows);
    expect(file.subarray(0, 6).toString('latin1')).toBe('ARROW1');
    const table = tableFromIPC(file);
    expect(table.numRows).toBe(rows.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual(KPI_TABLE_COLUMNS.map((c) => c.name));
    const back = (table.toArray() as { toJSON(): Record<string, unknown> }[]).map((row) => row.toJSON());
    expect(back).toEqual(rows);
    expect(table.getChild('utilisation')?.get(1)).toBeNull();
    expect(String(table.schema.fields.find((f) => f.name === 'bookings')?.type)).toBe('Int32');
  });

  it('writes a valid empty file for a site without resources', () => {
    const table = tableFromIPC(kpiTableArrow([]));
    expect(table.numRows).toBe(0);
    expect(table.numCols).toBe(KPI_TABLE_COLUMNS.length);
  });
});
