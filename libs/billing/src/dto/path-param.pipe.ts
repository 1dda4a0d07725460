import { PipeTransform } from '@nestjs/common';
import { invalid } from '@cw/common';
import { z } from 'zod';

const idSchema = z.string().regex(/^[a-zA-Z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only, at most 64');

/** A path id checked before any query: a bad one is a 400 naming the parameter. */
export class IdParam implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    const parsed = idSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw invalid(
      `path parameter ${this.name} is invalid`,
      parsed.error.issues.map((issue) => ({ path: `params.${this.name}`, message: issue.message })),
    );
  }
}

export const SITE = new IdParam('site');
export const MEMBER = new IdParam('member');
export const INVOICE = new IdParam('id');
