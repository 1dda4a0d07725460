import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Server } from 'socket.io';
import { AppConfig } from '@cw/config';
import {
  batchedSiteRoom,
  LIVE_NAMESPACE,
  LiveIoServer,
  LiveNamespace,
  LiveRoom,
  siteRoom,
} from './live-socket';
import { installRedisFanout, RedisFanout } from './redis-fanout';

/**
 * socket.io as the rest of the platform sees it: rooms to emit to. In the api process the namespace is the one the
 * gateway serves; with REDIS_URL its broadcasts also reach the other api processes. A process without the
 * gateway (a worker) gets a socket.io server bound to no HTTP listener whose only job is to publish broadcasts
 * on Redis for the api processes to deliver; without Redis such a process has no clients to reach.
 */
@Injectable()
export class LiveTransport implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LiveTransport.name);
  private namespace: LiveNamespace | undefined;
  private fanout: RedisFanout | undefined;

  constructor(private readonly config: AppConfig) {}

  /** Called by the gateway when Nest creates `/live` on the HTTP server, before any lifecycle hook runs. */
  attach(namespace: LiveNamespace): void {
    if (this.namespace) throw new Error(`${LIVE_NAMESPACE} is already attached to this transport`);
    this.namespace = namespace;
  }

  /** Where a site's events go; undefined until a server exists, so publishing early is a no-op, never an error. */
  room(siteId: string): LiveRoom | undefined {
    return this.namespace?.to(siteRoom(siteId));
  }

  /** Where the same events go as batches. */
  batchedRoom(siteId: string): LiveRoom | undefined {
    return this.namespace?.to(batchedSiteRoom(siteId));
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.get('REDIS_URL');
    if (!url) {
      if (!this.namespace)
        this.logger.log(`no ${LIVE_NAMESPACE} gateway and no REDIS_URL: live events stay here`);
      return;
    }
    const server: LiveIoServer = this.namespace?.server ?? new Server();
    this.fanout = await installRedisFanout(server, url, this.logger);
    this.namespace ??= server.of(LIVE_NAMESPACE);
  }

  async onApplicationShutdown(): Promise<void> {
    const fanout = this.fanout;
    this.fanout = undefined;
    await fanout?.close();
  }
}
