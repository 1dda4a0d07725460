import { Kpi, KpiInputs } from './formulas';
import { PeakKpi } from './peaks';
import { PeriodKind } from './time/period';

export interface KpiFigures {
  utilisation: Kpi;
  bookingRate: Kpi;
  bookedVsUsed: Kpi;
  noShowRate: Kpi;
  /** Most people at once inside opening hours; `at` is the 15-minute bucket it was first reached in. */
  peakOccupancy: PeakKpi;
  totals: KpiInputs;
}

export interface ResourceKpis extends KpiFigures {
  resourceId: string;
  name: string;
  kind: string;
  /** Whether presence evidence exists for it (a presence sensor, or a door for a small room). */
  sensed: boolean;
}

export interface KindKpis extends KpiFigures {
  kind: string;
  resources: number;
  sensedResources: number;
  /** Resources whose people were counted in the period: the ones the kind's peak sums. */
  countedResources: number;
}

export interface SiteKpis {
  siteId: string;
  timeZone: string;
  period: { kind: PeriodKind; date: string; from: string; to: string; start: string; end: string };
  /** The instant the figures run to: the period's end, or now for a period still running. */
  asOf: string;
  complete: boolean;
  site: KpiFigures;
  kinds: KindKpis[];
  resources: ResourceKpis[];
  /** Utilisation per local hour of week (168 values, Monday 00:00 first; null where the site is never open). */
  heatmap: {
    site: (number | null)[];
    kinds: Record<string, (number | null)[]>;
    resources?: Record<string, (number | null)[]>;
  };
  /** KPIs added by other modules (KpiProvider), by provider name. */
  extra: Record<string, unknown>;
}

export interface UtilisationForecast {
  siteId: string;
  target: { resourceId: string } | { kind: string };
  weeks: number;
  basis: { from: string; to: string };
  /** Expected utilisation per local hour of week (168, Monday 00:00 first); null where the target was never open. */
  hourOfWeek: (number | null)[];
}
