import type { FigureUnit, HeadlineFigure } from '../board-report';
import { minorDigits } from '../charts/chart-style';

/** Text forms of report figures, shared by the PDF and the HTML page so both say the same thing. */

export const NO_FIGURE = 'n/a';

export function formatRatio(value: number | null): string {
  return value === null ? NO_FIGURE : `${(value * 100).toFixed(1)}%`;
}

export function formatCount(value: number | null): string {
  return value === null
    ? NO_FIGURE
    : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(value);
}

export function formatMoney(minor: number | null, currency: string): string {
  if (minor === null) return NO_FIGURE;
  const digits = minorDigits(currency);
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

export function formatValue(value: number | null, unit: FigureUnit, currency: string): string {
  switch (unit) {
    case 'ratio':
      return formatRatio(value);
    case 'money':
      return formatMoney(value, currency);
    case 'count':
      return formatCount(value);
  }
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `-${text}` : text);

/** Ratios change in percentage points; money and counts by their relative change (and the absolute one). */
export function formatChange(figure: HeadlineFigure, currency: string): string {
  const change = figure.change;
  if (!change) return NO_FIGURE;
  if (figure.unit === 'ratio')
    return signed(change.absolute, `${Math.abs(change.absolute * 100).toFixed(1)} pts`);
  const absolute =
    figure.unit === 'money'
      ? formatMoney(Math.abs(change.absolute), currency)
      : formatCount(Math.abs(change.absolute));
  const relative =
    change.relative === null
      ? ''
      : ` (${signed(change.relative, `${Math.abs(change.relative * 100).toFixed(1)}%`)})`;
  return `${signed(change.absolute, absolute)}${relative}`;
}

/** 'up' | 'down' | 'flat' | 'none', for arrows and colours. */
export function trendOf(figure: HeadlineFigure): 'up' | 'down' | 'flat' | 'none' {
  if (!figure.change) return 'none';
  if (Math.abs(figure.change.absolute) < 1e-9) return 'flat';
  return figure.change.absolute > 0 ? 'up' : 'down';
}

export function formatMinutesAsHours(minutes: number | null): string {
  return minutes === null ? NO_FIGURE : `${(minutes / 60).toFixed(1)} h`;
}

/** Whether the change is good or bad news for the business, for colours. */
export function toneOf(figure: HeadlineFigure): 'good' | 'bad' | 'neutral' {
  const trend = trendOf(figure);
  if (trend === 'up') return figure.better === 'higher' ? 'good' : 'bad';
  if (trend === 'down') return figure.better === 'lower' ? 'good' : 'bad';
  return 'neutral';
}
