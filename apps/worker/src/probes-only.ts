import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@cw/common';

const PROBES = ['/health', '/metrics'];

export function isProbePath(url: string): boolean {
  const path = url.split('?')[0];
  return PROBES.some((probe) => path === probe || path.startsWith(`${probe}/`));
}

/**
 * Express middleware for the worker's port: the domain modules it composes for their jobs bring their controllers
 * along, and the admin API belongs behind the api's load balancer, not on every worker replica.
 */
export function probesOnly(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (isProbePath(req.url ?? '/')) return next();
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
  res.end(
    JSON.stringify({ error: ErrorCode.NotFound, message: 'the worker serves /health and /metrics only' }),
  );
}
