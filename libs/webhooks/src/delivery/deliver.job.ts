import { z } from 'zod';
import { defineJob } from '@cw/jobs';

/**
 * One attempt of one delivery. Each attempt is its own job (id `${deliveryId}.${attempt}`) scheduled by the previous
 * one, so the retry schedule, the attempt count and the budget live in the database, not in the queue: a redeliver
 * simply queues the next attempt, and a process that lost its in-memory queue re-queues pending deliveries at boot.
 */
export const deliverWebhookJob = defineJob(
  'webhooks.deliver',
  z.object({ deliveryId: z.string().min(1), attempt: z.number().int().min(1) }).strict(),
);

export const deliverJobId = (deliveryId: string, attempt: number) => `${deliveryId}.${attempt}`;
