export function checkRetryOptions(attempts: number, backoffMs: number): void {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('attempts must be an integer >= 1');
  if (!Number.isFinite(backoffMs) || backoffMs < 0) throw new RangeError('backoffMs must be >= 0');
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
