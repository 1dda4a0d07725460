import { Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { ColumnType, KPI_TABLE_COLUMNS, KpiTableRow } from './kpi-table';

export const ARROW_FILE_MEDIA_TYPE = 'application/vnd.apache.arrow.file';

const arrowType = (type: ColumnType) => {
  switch (type) {
    case 'text':
      return new Utf8();
    case 'float':
      return new Float64();
    case 'integer':
      return new Int32();
  }
};

/** The KPI table as an Arrow table: every column nullable, so a missing figure stays null rather than 0 or NaN. */
export function kpiArrowTable(rows: KpiTableRow[]): Table {
  const columns = Object.fromEntries(
    KPI_TABLE_COLUMNS.map((c) => [
      c.name,
      vectorFromArray(rows.map((r) => r[c.name]) as never[], arrowType(c.type)),
    ]),
  );
  return new Table(columns);
}

/** The Arrow IPC file format (the random-access one, `.arrow`), what pandas, DuckDB and Power BI read. */
export function kpiTableArrow(rows: KpiTableRow[]): Buffer {
  return Buffer.from(tableToIPC(kpiArrowTable(rows), 'file'));
}
