import type { IncomingHttpHeaders } from 'node:http';
import type { Namespace, Server, Socket } from 'socket.io';
import { bearerToken, Principal } from '@cw/auth';
import type { LiveClientEvents, LiveServerEvents } from '@cw/events';

/** The socket.io namespace of the live contract (DESIGN.md, external contracts). */
export const LIVE_NAMESPACE = '/live';

/** One room per site (STYLE.md rule 9): every event of a site goes to this room and nowhere else. */
export const siteRoom = (siteId: string): string => `site:${siteId}`;

/** The same site's events for sockets that joined with `batch: true`, as one `batch` event per turn of the loop. */
export const batchedSiteRoom = (siteId: string): string => `site:${siteId}:batched`;

/** Set by the handshake middleware; optional in the type because socket.io creates `data` empty. */
export interface LiveSocketData {
  principal?: Principal;
}

/** `/live` has no server-to-server events (serverSideEmit); the Redis adapter only relays broadcasts. */
type NoServerSideEvents = Record<string, never>;

export type LiveNamespace = Namespace<LiveClientEvents, LiveServerEvents, NoServerSideEvents, LiveSocketData>;
export type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, NoServerSideEvents, LiveSocketData>;
export type LiveIoServer = Server<LiveClientEvents, LiveServerEvents, NoServerSideEvents, LiveSocketData>;
export type LiveRoom = ReturnType<LiveNamespace['to']>;

export interface HandshakeCredentials {
  auth: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/**
 * The key a client presents: `auth.token` (what browsers can send, since they cannot set headers on a WebSocket),
 * else `Authorization: Bearer` (server-side clients). Never the query string, which ends up in access logs.
 */
export function handshakeToken(handshake: HandshakeCredentials): string | undefined {
  const token = handshake.auth.token;
  if (typeof token === 'string' && token.length > 0) return token;
  return bearerToken(handshake.headers.authorization);
}
