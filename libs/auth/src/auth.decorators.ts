import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { Principal, Role } from './principal';

export const ROLES_KEY = 'cw:roles';
export const PUBLIC_KEY = 'cw:public';

/** Which roles may call a route; without it, any valid key may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The few routes that answer without a key (liveness for load balancers, the static dashboard shell). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type AuthenticatedRequest = Request & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
