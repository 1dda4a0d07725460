import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Database } from '@cw/database';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly db: Database,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check() {
    const check = this.indicator.check('database');
    try {
      await this.db.query('SELECT 1');
      return check.up({ kind: this.db.kind });
    } catch (error) {
      return check.down({ kind: this.db.kind, message: (error as Error).message });
    }
  }
}
