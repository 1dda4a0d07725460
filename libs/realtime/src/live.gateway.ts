import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { z } from 'zod';
import { ApiKeysService, canActOnSite, Principal, Role } from '@cw/auth';
import { DomainError, ErrorCode } from '@cw/common';
import { idSchema } from '@cw/sites';
import { LIVE_SNAPSHOT_SOURCE, LiveSnapshotSource } from './live-snapshot.source';
import {
  batchedSiteRoom,
  handshakeToken,
  LIVE_NAMESPACE,
  LiveNamespace,
  LiveSocket,
  siteRoom,
} from './live-socket';
import { LiveTransport } from './live.transport';

export type JoinReply = { ok: true } | { ok: false; error: string };

const siteRequest = z.object({ site: idSchema }).strict();
const joinRequest = z.object({ site: idSchema, batch: z.boolean().optional() }).strict();

/** Device keys publish readings; watching a whole site's live state is for people and integrations. */
const WATCHER_ROLES: readonly Role[] = ['admin', 'manager', 'integration'];

/** connect_error messages a client can act on: ask for another key, or just retry later. */
export const HANDSHAKE_UNAUTHENTICATED = 'unauthenticated';
export const HANDSHAKE_UNAVAILABLE = 'unavailable';

/**
 * `/live` on the api's HTTP server. Clients authenticate at the handshake (STYLE.md rule 9), so an unauthenticated
 * socket never exists; `join` puts a socket in its site's room and sends it that site's snapshot.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit<LiveNamespace> {
  private readonly logger = new Logger(LiveGateway.name);

  constructor(
    private readonly transport: LiveTransport,
    private readonly keys: ApiKeysService,
    @Inject(LIVE_SNAPSHOT_SOURCE) private readonly snapshots: LiveSnapshotSource,
  ) {}

  afterInit(namespace: LiveNamespace): void {
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        (principal) => {
          if (!principal) return next(new Error(HANDSHAKE_UNAUTHENTICATED));
          socket.data.principal = principal;
          next();
        },
        (error: unknown) => {
          // A database outage is not the client's fault: tell it to retry rather than to change its key.
          this.logger.error(`cannot verify a /live handshake: ${String(error)}`);
          next(new Error(HANDSHAKE_UNAVAILABLE));
        },
      );
    });
    this.transport.attach(namespace);
  }

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<JoinReply> {
    const principal = socket.data.principal;
    if (!principal) return { ok: false, error: ErrorCode.Unauthenticated };
    const request = joinRequest.safeParse(body);
    if (!request.success) return { ok: false, error: ErrorCode.Validation };
    const site = request.data.site;
    if (!WATCHER_ROLES.includes(principal.role) || !canActOnSite(principal, site)) {
      return { ok: false, error: ErrorCode.Forbidden };
    }
    const room = request.data.batch ? batchedSiteRoom(site) : siteRoom(site);
    // Join before reading the snapshot: a change published in between is then delivered too, never lost.
    await socket.join(room);
    try {
      socket.emit('snapshot', await this.snapshots.snapshot(site));
      return { ok: true };
    } catch (error) {
      await socket.leave(room);
      if (error instanceof DomainError && error.code === ErrorCode.NotFound)
        return { ok: false, error: error.code };
      this.logger.error(`snapshot of site ${site} failed: ${String(error)}`);
      return { ok: false, error: ErrorCode.Unavailable };
    }
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<void> {
    const request = siteRequest.safeParse(body);
    if (!request.success) return;
    await socket.leave(siteRoom(request.data.site));
    await socket.leave(batchedSiteRoom(request.data.site));
  }

  private authenticate(socket: LiveSocket): Promise<Principal | null> {
    return this.keys.verify(handshakeToken(socket.handshake));
  }
}
