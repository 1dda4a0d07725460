import { PipeTransform } from '@nestjs/common';
import { ZodTypeAny, z } from 'zod';
import { invalid } from './domain-error';
import { fieldErrors } from './zod-errors';

/** Validates a request body with the same zod schemas used for MQTT payloads; 400 with field paths on failure. */
export class ZodBody<S extends ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw invalid('request body is invalid', fieldErrors(parsed.error));
    return parsed.data as z.infer<S>;
  }
}
