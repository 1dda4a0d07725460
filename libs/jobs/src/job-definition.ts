import { z, ZodTypeAny } from 'zod';
import { fieldErrors } from '@cw/common';
import { FieldError } from '@cw/events';

/** A job name bound to the zod schema of its payload: the typed registry entry of rule 9 in STYLE.md. */
export interface JobDefinition<T> {
  readonly name: string;
  readonly schema: ZodTypeAny;
  /** Checks a payload; throws {@link JobPayloadError} naming each bad field. */
  parse(payload: unknown): T;
}

/** A payload that does not match its job's schema, with the same `{path, message}` list HTTP errors carry. */
export class JobPayloadError extends Error {
  constructor(
    readonly job: string,
    readonly errors: FieldError[],
  ) {
    super(`invalid payload for job ${job}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'JobPayloadError';
  }
}

// BullMQ joins keys with ':' and refuses integer-looking custom ids; both adapters accept the same, safer set.
const JOB_NAME = /^[a-zA-Z0-9_.-]{1,100}$/;
const JOB_ID = /^[a-zA-Z0-9_.#@-]{1,200}$/;
// A job's hash lives at `{prefix}:{queue}:{jobId}`, beside the queue's own keys: a job id `delayed` overwrites the
// delayed set (BullMQ does not check), so these names are refused outright.
const RESERVED_JOB_IDS = new Set([
  'active',
  'wait',
  'waiting-children',
  'paused',
  'id',
  'delayed',
  'prioritized',
  'priority',
  'stalled-check',
  'completed',
  'failed',
  'stalled',
  'repeat',
  'limiter',
  'meta',
  'events',
  'pc',
  'marker',
  'de',
  'metrics',
]);

export function defineJob<S extends ZodTypeAny>(name: string, schema: S): JobDefinition<z.infer<S>> {
  if (!JOB_NAME.test(name)) throw new Error(`job name ${JSON.stringify(name)} must match ${JOB_NAME}`);
  return {
    name,
    schema,
    parse(payload: unknown): z.infer<S> {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new JobPayloadError(name, fieldErrors(parsed.error));
      return parsed.data as z.infer<S>;
    },
  };
}

export function assertJobId(jobId: string): void {
  if (!JOB_ID.test(jobId) || /^\d+$/.test(jobId) || RESERVED_JOB_IDS.has(jobId)) {
    throw new Error(
      `job id ${JSON.stringify(jobId)} is not allowed: 1-200 of a-z A-Z 0-9 _ . # @ -, not all digits, ` +
        'not a queue key name such as "delayed"',
    );
  }
}
