import { Module } from '@nestjs/common';
import { JobsModule } from '@cw/jobs';
import { KpiModule } from '@cw/kpi';
import { ChurnController } from './churn.controller';
import { ChurnDailyJob } from './churn.job';
import { ChurnRepository } from './churn.repository';
import { ChurnService } from './churn.service';
import { MoneyKpiProvider } from './money/money-kpi.provider';
import { MoneyKpisController } from './money/money-kpis.controller';
import { MoneyKpisRepository } from './money/money-kpis.repository';
import { MoneyKpisService } from './money/money-kpis.service';

/** Churn risk (scores, the daily job, the at-risk list) and the money KPIs the KPI API and board report read. */
@Module({
  imports: [JobsModule, KpiModule],
  controllers: [ChurnController, MoneyKpisController],
  providers: [
    ChurnRepository,
    ChurnService,
    ChurnDailyJob,
    MoneyKpisRepository,
    MoneyKpisService,
    MoneyKpiProvider,
  ],
  exports: [ChurnService, MoneyKpisService],
})
export class ChurnModule {}
