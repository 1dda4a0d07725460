import { Module } from '@nestjs/common';
import { DashboardsController } from './dashboards.controller';
import { VendorAssetsController } from './vendor-assets.controller';

/** The browser pages at `/`, `/kpis`, `/at-risk` and `/assets/*`; they need `/v1/sites` and the `/live` gateway in the same app. */
@Module({ controllers: [DashboardsController, VendorAssetsController] })
export class DashboardsModule {}
