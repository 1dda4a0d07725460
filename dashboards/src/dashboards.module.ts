import { Module } from '@nestjs/common';
import { DashboardsController } from './dashboards.controller';

/** The browser pages at `/` and `/assets/*`; they need `/v1/sites` and the `/live` gateway in the same app. */
@Module({ controllers: [DashboardsController] })
export class DashboardsModule {}
