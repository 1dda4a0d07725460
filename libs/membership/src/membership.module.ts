import { Module } from '@nestjs/common';
import { JobsModule } from '@cw/jobs';
import { AssignmentsService } from './assignments.service';
import { AuditRepository } from './audit.repository';
import { CompaniesController } from './companies.controller';
import { ContractsController } from './contracts.controller';
import { ContractsRepository } from './contracts.repository';
import { ContractsService } from './contracts.service';
import { DirectoryService } from './directory.service';
import { MeController } from './me.controller';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembershipDailyJob } from './membership-daily.job';
import { MembershipEvents } from './membership.events';
import { OffboardingService } from './offboarding.service';
import { PlansController } from './plans.controller';
import { PlansRepository } from './plans.repository';
import { PlansService } from './plans.service';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';
import { SiteCalendar } from './site-calendar';

/** Companies, members, plans, contracts, resource assignments, offboarding and GDPR, with their admin API. */
@Module({
  imports: [JobsModule],
  controllers: [CompaniesController, MembersController, MeController, PlansController, ContractsController],
  providers: [
    MembersRepository,
    PlansRepository,
    ContractsRepository,
    PrivacyRepository,
    AuditRepository,
    SiteCalendar,
    MembershipEvents,
    DirectoryService,
    PlansService,
    ContractsService,
    AssignmentsService,
    OffboardingService,
    PrivacyService,
    MembershipDailyJob,
  ],
  exports: [
    MembershipEvents,
    DirectoryService,
    PlansService,
    ContractsService,
    AssignmentsService,
    OffboardingService,
    PrivacyService,
  ],
})
export class MembershipModule {}
