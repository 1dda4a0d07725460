import type { TopLevelSpec } from 'vega-lite';
import type { BoardReport, DayTrendPoint, MonthMoneyPoint, StreamRow } from '../board-report';
import type { AtRiskMember, HeatmapCell, KindKpis } from '../report-data.source';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, COLORS, toMajor, VEGA_LITE_SCHEMA } from './chart-style';

export interface ReportChart {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const RATIO_AXIS = { format: '.0%' } as const;

function frame(title: string, subtitle: string) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: CHART_CONFIG,
  };
}

const dayOfMonth = (date: string) => Number(date.slice(8, 10));

/** Daily utilisation and booking rate over the month; drag to zoom, click the legend to pick a line. */
export function utilisationTrendSpec(daily: DayTrendPoint[]): TopLevelSpec {
  const values = daily.flatMap((d) => [
    { day: dayOfMonth(d.date), date: d.date, series: 'Utilisation', value: d.utilisation },
    { day: dayOfMonth(d.date), date: d.date, series: 'Booking rate', value: d.bookingRate },
  ]);
  return {
    ...frame('Utilisation trend', 'Occupied and booked share of open time, per day'),
    data: { values },
    params: [
      { name: 'series_pick', select: { type: 'point', fields: ['series'] }, bind: 'legend' },
      { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' },
    ],
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'day',
        type: 'quantitative',
        title: 'Day of month',
        scale: { domain: [1, 31], nice: false },
      },
      y: { field: 'value', type: 'quantitative', title: null, axis: RATIO_AXIS, scale: { domain: [0, 1] } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: ['Utilisation', 'Booking rate'], range: [COLORS.used, COLORS.booked] },
      },
      opacity: { condition: { param: 'series_pick', value: 1 }, value: 0.15 },
      tooltip: [
        { field: 'date', type: 'nominal', title: 'Day' },
        { field: 'series', type: 'nominal', title: 'Figure' },
        { field: 'value', type: 'quantitative', title: 'Value', format: '.1%' },
      ],
    },
  };
}

/** Utilisation by weekday and hour, site local time. */
export function heatmapSpec(cells: HeatmapCell[]): TopLevelSpec {
  const values = cells.map((c) => ({
    weekday: WEEKDAYS[c.dayOfWeek - 1] ?? String(c.dayOfWeek),
    hour: c.hour,
    utilisation: c.utilisation,
  }));
  return {
    ...frame('Hour-of-week heatmap', 'Utilisation by weekday and hour (site local time)'),
    data: { values },
    params: [{ name: 'cell_hover', select: { type: 'point', on: 'pointerover', clear: 'pointerout' } }],
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: {
        field: 'hour',
        type: 'ordinal',
        title: 'Hour',
        scale: { domain: Array.from({ length: 24 }, (_, h) => h) },
      },
      y: { field: 'weekday', type: 'ordinal', title: null, scale: { domain: WEEKDAYS } },
      color: {
        field: 'utilisation',
        type: 'quantitative',
        title: 'Utilisation',
        scale: { domain: [0, 1], scheme: 'blues' },
        legend: { format: '.0%', orient: 'right' },
      },
      stroke: { condition: { param: 'cell_hover', empty: false, value: COLORS.accent }, value: null },
      tooltip: [
        { field: 'weekday', title: 'Day' },
        { field: 'hour', title: 'Hour' },
        { field: 'utilisation', type: 'quantitative', title: 'Utilisation', format: '.1%' },
      ],
    },
  };
}

/** Booked hours against the hours actually used inside bookings, per resource kind. */
export function bookedVsUsedSpec(perKind: KindKpis[]): TopLevelSpec {
  const values = perKind.flatMap((k) => [
    { kind: k.kind, measure: 'Booked', hours: k.bookedMinutes === null ? null : k.bookedMinutes / 60 },
    {
      kind: k.kind,
      measure: 'Used',
      hours: k.usedBookedMinutes === null ? null : k.usedBookedMinutes / 60,
      ratio: k.bookedVsUsed,
    },
  ]);
  return {
    ...frame('Booked vs used', 'Booked hours and hours occupied inside those bookings, per kind'),
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'kind', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'measure', type: 'nominal', scale: { domain: ['Booked', 'Used'] } },
      y: { field: 'hours', type: 'quantitative', title: 'Hours' },
      color: {
        field: 'measure',
        type: 'nominal',
        title: null,
        scale: { domain: ['Booked', 'Used'], range: [COLORS.booked, COLORS.used] },
      },
      tooltip: [
        { field: 'kind', title: 'Kind' },
        { field: 'measure', title: 'Measure' },
        { field: 'hours', type: 'quantitative', title: 'Hours', format: ',.1f' },
        { field: 'ratio', type: 'quantitative', title: 'Booked vs used', format: '.1%' },
      ],
    },
  };
}

/** Bookings per day split into kept and released for no-show. */
export function noShowsSpec(daily: DayTrendPoint[]): TopLevelSpec {
  const values = daily.flatMap((d) => {
    if (d.bookings === null || d.noShows === null) return [];
    return [
      {
        day: dayOfMonth(d.date),
        date: d.date,
        outcome: 'Kept',
        count: d.bookings - d.noShows,
        rate: d.noShowRate,
      },
      { day: dayOfMonth(d.date), date: d.date, outcome: 'No-show', count: d.noShows, rate: d.noShowRate },
    ];
  });
  return {
    ...frame('No-shows', 'Bookings whose start has passed, per day: kept or released for no-show'),
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'day', type: 'ordinal', title: 'Day of month', axis: { labelAngle: 0 } },
      y: { field: 'count', type: 'quantitative', title: 'Bookings', stack: 'zero' },
      color: {
        field: 'outcome',
        type: 'nominal',
        title: null,
        scale: { domain: ['Kept', 'No-show'], range: [COLORS.booked, COLORS.noShow] },
      },
      tooltip: [
        { field: 'date', title: 'Day' },
        { field: 'outcome', title: 'Outcome' },
        { field: 'count', type: 'quantitative', title: 'Bookings' },
        { field: 'rate', type: 'quantitative', title: 'No-show rate', format: '.1%' },
      ],
    },
  };
}

/** Revenue of the month by stream, beside the month before. */
export function revenueByStreamSpec(streams: StreamRow[] | null, currency: string): TopLevelSpec {
  const values = (streams ?? []).flatMap((s) => [
    { stream: s.stream, month: 'This month', amount: toMajor(s.amountMinor, currency) },
    { stream: s.stream, month: 'Previous month', amount: toMajor(s.previousMinor, currency) },
  ]);
  return {
    ...frame('Revenue by stream', `Invoiced in the month, ${currency}`),
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'stream', type: 'nominal', title: null },
      yOffset: { field: 'month', type: 'nominal', scale: { domain: ['Previous month', 'This month'] } },
      x: { field: 'amount', type: 'quantitative', title: currency },
      color: {
        field: 'month',
        type: 'nominal',
        title: null,
        scale: { domain: ['Previous month', 'This month'], range: [COLORS.neutral, COLORS.money] },
      },
      tooltip: [
        { field: 'stream', title: 'Stream' },
        { field: 'month', title: 'Month' },
        { field: 'amount', type: 'quantitative', title: currency, format: ',.2f' },
      ],
    },
  };
}

/** Monthly recurring revenue over the last months. */
export function mrrTrendSpec(trend: MonthMoneyPoint[], currency: string): TopLevelSpec {
  const values = trend.map((p) => ({ month: p.month, mrr: toMajor(p.mrrMinor, currency) }));
  return {
    ...frame('MRR', `Monthly recurring revenue at month end, ${currency}`),
    data: { values },
    mark: { type: 'bar', color: COLORS.money, tooltip: true },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'mrr', type: 'quantitative', title: currency },
      tooltip: [
        { field: 'month', title: 'Month' },
        { field: 'mrr', type: 'quantitative', title: `MRR (${currency})`, format: ',.2f' },
      ],
    },
  };
}

/** Member churn rate per month. */
export function churnTrendSpec(trend: MonthMoneyPoint[]): TopLevelSpec {
  const values = trend.map((p) => ({ month: p.month, churnRate: p.churnRate }));
  return {
    ...frame('Member churn', 'Members whose last contract ended in the month / members active at its start'),
    data: { values },
    mark: { type: 'line', point: true, color: COLORS.noShow, tooltip: true },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'churnRate', type: 'quantitative', title: null, axis: RATIO_AXIS },
      tooltip: [
        { field: 'month', title: 'Month' },
        { field: 'churnRate', type: 'quantitative', title: 'Churn rate', format: '.1%' },
      ],
    },
  };
}

/** The members most at risk of leaving, by score. */
export function atRiskSpec(members: AtRiskMember[] | null, limit = 15): TopLevelSpec {
  const values = (members ?? []).slice(0, limit).map((m) => ({
    member: m.name ?? m.memberId,
    score: m.score,
    top: m.factors[0]?.factor ?? '',
  }));
  return {
    ...frame('Members at risk', `Churn-risk score 0-100, the ${limit} highest`),
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'member', type: 'nominal', title: null, sort: '-x' },
      x: { field: 'score', type: 'quantitative', title: 'Score', scale: { domain: [0, 100] } },
      color: {
        field: 'score',
        type: 'quantitative',
        title: null,
        legend: null,
        scale: { domain: [0, 100], range: ['#fde68a', COLORS.noShow] },
      },
      tooltip: [
        { field: 'member', title: 'Member' },
        { field: 'score', type: 'quantitative', title: 'Score' },
        { field: 'top', title: 'Top factor' },
      ],
    },
  };
}

/** Every chart of a report, in the order the page and the PDF show them. */
export function reportCharts(report: BoardReport): ReportChart[] {
  return [
    { id: 'utilisation-trend', title: 'Utilisation trend', spec: utilisationTrendSpec(report.daily) },
    { id: 'heatmap', title: 'Hour-of-week heatmap', spec: heatmapSpec(report.heatmap) },
    { id: 'booked-vs-used', title: 'Booked vs used', spec: bookedVsUsedSpec(report.perKind) },
    { id: 'no-shows', title: 'No-shows', spec: noShowsSpec(report.daily) },
    {
      id: 'revenue',
      title: 'Revenue by stream',
      spec: revenueByStreamSpec(report.revenueByStream, report.currency),
    },
    { id: 'mrr', title: 'MRR', spec: mrrTrendSpec(report.moneyTrend, report.currency) },
    { id: 'churn', title: 'Member churn', spec: churnTrendSpec(report.moneyTrend) },
    { id: 'at-risk', title: 'Members at risk', spec: atRiskSpec(report.atRisk.members) },
  ];
}
