import { PipeTransform } from '@nestjs/common';
import { z, ZodType } from 'zod';
import { invalid } from '@cw/common';
import { idSchema } from '@cw/sites';
import { isLocalDate } from '../local-dates';

/** Ids of companies, members, plans, contracts and assignments (the tables' CHECK). */
export const refSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only, 1 to 64 characters');

export const localDateSchema = z
  .string()
  .refine(isLocalDate, { message: 'must be a calendar date YYYY-MM-DD' });

export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** Checks one path parameter, so a bad id is a 400 naming it rather than a database error. */
export class PathParam implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly schema: ZodType<string>,
  ) {}

  transform(value: string): string {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw invalid(
      `path parameter ${this.name} is invalid`,
      parsed.error.issues.map((issue) => ({ path: `params.${this.name}`, message: issue.message })),
    );
  }
}

export const SITE = new PathParam('site', idSchema);
export const ID = new PathParam('id', refSchema);
export const ASSIGNMENT = new PathParam('assignment', refSchema);

/** A body may repeat the id of its path; a different one is refused rather than silently ignored. */
export function assertSameId(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId)
    throw invalid('the body names another id than the path', [
      { path: 'id', message: `must be ${pathId} (the id in the path) or left out` },
    ]);
}
