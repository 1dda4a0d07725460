import { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis, RedisOptions } from 'ioredis';
import type { LiveIoServer } from './live-socket';

/** The Redis adapter installed on one socket.io server; `close` gives the server back its in-memory adapter. */
export interface RedisFanout {
  close(): Promise<void>;
}

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The adapter fires `publish` without awaiting it, so a publish that fails during a Redis outage (ioredis gives up
 * after `maxRetriesPerRequest`) would be an unhandled rejection and take the process down. A live event lost in
 * an outage is logged instead; the next change of that resource carries its whole state again, and a page
 * (re)joining reads the snapshot.
 */
export function guardPublish(
  client: { publish: (channel: string, message: string | Buffer) => Promise<number> },
  onError: (error: unknown) => void,
): void {
  const publish = client.publish.bind(client);
  client.publish = (channel: string, message: string | Buffer): Promise<number> => {
    const sent = publish(channel, message);
    sent.catch(onError);
    return sent;
  };
}

/**
 * Installs `@socket.io/redis-adapter` on `server`, so a broadcast to a room reaches that room's sockets in every
 * process sharing the Redis server. Resolves once the subscriptions are in place, so nothing published after
 * boot is missed; rejects (without the URL, which may hold a password) when Redis cannot be reached.
 */
export async function installRedisFanout(
  server: LiveIoServer,
  url: string,
  logger: Logger,
): Promise<RedisFanout> {
  let lastErrorLog = 0;
  const logError = (error: unknown): void => {
    if (Date.now() - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    lastErrorLog = Date.now();
    logger.warn(`Redis for socket.io: ${error instanceof Error ? error.message : String(error)}`);
  };
  // Fail fast at boot, like every other bad setting; once up, ride out outages with ioredis' reconnects.
  let up = false;
  const options: RedisOptions = {
    lazyConnect: true,
    retryStrategy: (attempt: number) => (up ? Math.min(attempt * 200, 2000) : null),
  };
  const pub = new Redis(url, { ...options, connectionName: 'cw-live-pub' });
  const sub = new Redis(url, { ...options, connectionName: 'cw-live-sub' });
  for (const client of [pub, sub]) client.on('error', logError);
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    for (const client of [pub, sub]) if (client.status !== 'end') client.disconnect();
    throw new Error('cannot reach Redis (REDIS_URL) for the socket.io adapter', { cause: error });
  }
  up = true;
  guardPublish(pub, logError);
  const previous = server.adapter();
  server.adapter(createAdapter(pub, sub));
  // Commands run in order on one connection: once PING answers, the adapter's (P)SUBSCRIBEs are active.
  await sub.ping();
  return {
    close: async () => {
      const adapters = [...server._nsps.values()].map((namespace) => namespace.adapter);
      // socket.io closes its adapters again when Nest closes the server, after our clients are gone: swap them for
      // in-memory ones first, or those late UNSUBSCRIBEs would reject on a closed connection.
      if (previous) server.adapter(previous);
      for (const adapter of adapters) await adapter.close();
      await Promise.all([pub, sub].map(closeClient));
    },
  };
}

/** QUIT when connected; mid-outage a QUIT would wait in the offline queue for a reconnect, holding up shutdown. */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // the connection dropped under the QUIT: nothing left to close gracefully
    }
  }
  client.disconnect();
}
