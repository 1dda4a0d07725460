import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@cw/auth';
import { ChurnModule } from '@cw/churn';
import { JobsModule } from '@cw/jobs';
import { KpiModule } from '@cw/kpi';
import { SitesModule } from '@cw/sites';
import { KpiExportsController } from './kpi-exports.controller';
import { MonthlyReportJob } from './monthly-report.job';
import { ReportDataSource } from './report-data.source';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { ServicesReportDataSource } from './sources/kpi-report.source';

/** Monthly board reports (JSON, PDF, page), their job on the 1st, and the KPI tables as Arrow and CSV. */
@Module({
  imports: [AuthCoreModule, SitesModule, JobsModule, KpiModule, ChurnModule],
  controllers: [KpiExportsController, ReportsController],
  providers: [
    ReportsRepository,
    ReportsService,
    MonthlyReportJob,
    ServicesReportDataSource,
    { provide: ReportDataSource, useExisting: ServicesReportDataSource },
  ],
  exports: [ReportsService, MonthlyReportJob],
})
export class ReportsModule {}
