import type { MonthChange } from './board-report';

export function monthChange(current: number | null, previous: number | null): MonthChange | null {
  if (current === null || previous === null) return null;
  return {
    absolute: current - previous,
    relative: previous === 0 ? null : (current - previous) / previous,
  };
}
