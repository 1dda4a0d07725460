import { ZodError } from 'zod';
import { FieldError } from '@cw/events';

/** Flattens zod issues to `{path, message}` with dotted paths (`events.3.ts`), the form every error body uses. */
export function fieldErrors(error: ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path: [...prefix, ...issue.path, ...issue.keys].join('.'), message: 'unknown field' };
    }
    if (issue.code === 'invalid_type' && issue.received === 'undefined') {
      return { path, message: 'required' };
    }
    return { path: path || '(root)', message: issue.message };
  });
}
