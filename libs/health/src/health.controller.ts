import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@cw/auth';
import { DatabaseHealthIndicator } from './database.health';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** Public so load balancers and orchestrators can probe it; it reveals only up or down per dependency. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.check()]);
  }
}
