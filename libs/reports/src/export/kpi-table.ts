import type { KpiSnapshot, ResourceKpis } from '../report-data.source';

/** One row per resource of a KPI API answer: the table BI tools download as CSV or Arrow. */
export interface KpiTableRow {
  siteId: string;
  period: string;
  date: string;
  from: string;
  to: string;
  resourceId: string;
  resourceName: string;
  kind: string;
  utilisation: number | null;
  bookingRate: number | null;
  bookedVsUsed: number | null;
  noShowRate: number | null;
  peakOccupancy: number | null;
  openMinutes: number | null;
  occupiedMinutes: number | null;
  bookedMinutes: number | null;
  usedBookedMinutes: number | null;
  bookings: number | null;
  noShows: number | null;
  /** Why figures of the row are missing, `name: reason; ...`, or null. */
  reasons: string | null;
}

export type ColumnType = 'text' | 'float' | 'integer';

export const KPI_TABLE_COLUMNS: readonly { name: keyof KpiTableRow; type: ColumnType }[] = [
  { name: 'siteId', type: 'text' },
  { name: 'period', type: 'text' },
  { name: 'date', type: 'text' },
  { name: 'from', type: 'text' },
  { name: 'to', type: 'text' },
  { name: 'resourceId', type: 'text' },
  { name: 'resourceName', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'utilisation', type: 'float' },
  { name: 'bookingRate', type: 'float' },
  { name: 'bookedVsUsed', type: 'float' },
  { name: 'noShowRate', type: 'float' },
  { name: 'peakOccupancy', type: 'float' },
  { name: 'openMinutes', type: 'float' },
  { name: 'occupiedMinutes', type: 'float' },
  { name: 'bookedMinutes', type: 'float' },
  { name: 'usedBookedMinutes', type: 'float' },
  { name: 'bookings', type: 'integer' },
  { name: 'noShows', type: 'integer' },
  { name: 'reasons', type: 'text' },
];

function reasonsText(resource: ResourceKpis): string | null {
  const entries = Object.entries(resource.reasons).filter(([, reason]) => reason);
  return entries.length ? entries.map(([name, reason]) => `${name}: ${reason}`).join('; ') : null;
}

export function kpiTableRows(snapshot: KpiSnapshot): KpiTableRow[] {
  return snapshot.perResource.map((r) => ({
    siteId: snapshot.siteId,
    period: snapshot.period,
    date: snapshot.date,
    from: snapshot.from,
    to: snapshot.to,
    resourceId: r.resourceId,
    resourceName: r.resourceName,
    kind: r.kind,
    utilisation: r.utilisation,
    bookingRate: r.bookingRate,
    bookedVsUsed: r.bookedVsUsed,
    noShowRate: r.noShowRate,
    peakOccupancy: r.peakOccupancy,
    openMinutes: r.openMinutes,
    occupiedMinutes: r.occupiedMinutes,
    bookedMinutes: r.bookedMinutes,
    usedBookedMinutes: r.usedBookedMinutes,
    bookings: r.bookings,
    noShows: r.noShows,
    reasons: reasonsText(r),
  }));
}
