import type { Config } from 'vega-lite';

export const CHART_WIDTH = 460;
export const CHART_HEIGHT = 190;

/** The platform's palette (dashboards/public/style.css) so the PDF, the page and the floor map read alike. */
export const COLORS = {
  accent: '#4338ca',
  used: '#16a34a',
  booked: '#2563eb',
  noShow: '#dc2626',
  neutral: '#94a3b8',
  money: '#0f766e',
};

/**
 * Vega measures labels with Helvetica's metrics; the PDF draws every chart font with DejaVu Sans Condensed
 * (render/fonts.ts), about as wide, so labels still fit.
 */
export const CHART_CONFIG: Config = {
  font: 'Helvetica',
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#e2e8f0', domainColor: '#94a3b8' },
  legend: { labelFontSize: 10, titleFontSize: 10, orient: 'top' },
  title: { fontSize: 13, anchor: 'start', color: '#0f172a', subtitleColor: '#64748b', subtitleFontSize: 10 },
};

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Digits of an ISO currency's minor unit (EUR 2, JPY 0), so charts plot major units. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

export const toMajor = (minor: number | null, currency: string): number | null =>
  minor === null ? null : minor / 10 ** minorDigits(currency);
