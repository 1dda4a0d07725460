import { PipeTransform } from '@nestjs/common';
import { ZodType } from 'zod';
import { invalid } from '@cw/common';
import { idSchema } from '@cw/sites';
import { accessIdSchema } from './access.dto';

/** Checks one path parameter against its id schema, so a bad id is a 400 naming it rather than a database error. */
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
export const ZONE = new PathParam('zone', accessIdSchema);
export const MEMBER = new PathParam('member', accessIdSchema);
export const CREDENTIAL = new PathParam('credential', accessIdSchema);
