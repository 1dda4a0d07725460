import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@cw/common';
import { bearerToken } from './api-key.token';
import { ApiKeysService } from './api-keys.service';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { Role } from './principal';

/** Global: every route needs a valid key unless marked @Public(); @Roles narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.keys.verify(bearerToken(request.headers.authorization));
    if (!principal)
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'a valid API key is required (Authorization: Bearer <key>)',
      );
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // Member keys reach only the routes that name them: a route written before members existed stays closed to them.
    if (!roles && principal.role === 'member') {
      throw new DomainError(ErrorCode.Forbidden, 'member keys may only use the routes for members');
    }
    if (roles && !roles.includes(principal.role)) {
      throw new DomainError(ErrorCode.Forbidden, `this route needs one of the roles: ${roles.join(', ')}`);
    }
    request.principal = principal;
    return true;
  }
}
