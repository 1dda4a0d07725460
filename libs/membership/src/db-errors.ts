export const EXCLUSION_VIOLATION = '23P01';
export const FOREIGN_KEY_VIOLATION = '23503';
export const UNIQUE_VIOLATION = '23505';

export function isDbError(error: unknown, code: string): boolean {
  return (error as { code?: string } | null)?.code === code;
}

export function constraintOf(error: unknown): string | undefined {
  return (error as { constraint?: string } | null)?.constraint;
}
