import { PipeTransform } from '@nestjs/common';
import { ZodTypeAny, z } from 'zod';
import { fieldErrors, invalid } from '@cw/common';

/** A query string checked like a body: 400 with `query.<field>` paths. */
export class ZodQuery<S extends ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw invalid('query is invalid', fieldErrors(parsed.error, ['query']));
    return parsed.data as z.infer<S>;
  }
}

/** One path parameter: a malformed id is a 400 naming it, not a lookup that cannot match. */
export class ZodParam implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly schema: z.ZodType<string>,
  ) {}

  transform(value: string): string {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw invalid(`path parameter ${this.name} is invalid`, [
      { path: `params.${this.name}`, message: parsed.error.issues[0]?.message ?? 'invalid' },
    ]);
  }
}
