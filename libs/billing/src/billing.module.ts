import { Module } from '@nestjs/common';
import { JobsModule } from '@cw/jobs';
import { WebhooksCoreModule } from '@cw/webhooks';
import { BillingRunsController } from './billing-runs.controller';
import { BillingRunsRepository } from './billing-runs.repository';
import { BillingRunsService } from './billing-runs.service';
import { BillingScheduler } from './billing.scheduler';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { InvoiceChainService } from './invoice-chain.service';
import { InvoiceIssuer } from './invoice-issuer';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { MemberInvoicesController } from './member-invoices.controller';
import { OverdueService } from './overdue.service';
import { ManualPaymentGateway, PaymentGateway } from './payment-gateway';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PAYMENT_GATEWAYS, PaymentsService } from './payments.service';

@Module({
  imports: [JobsModule, WebhooksCoreModule],
  controllers: [
    BillingRunsController,
    InvoicesController,
    MemberInvoicesController,
    PaymentsController,
    ExportsController,
  ],
  providers: [
    BillingRunsRepository,
    InvoicesRepository,
    PaymentsRepository,
    InvoiceIssuer,
    BillingRunsService,
    InvoicesService,
    InvoiceChainService,
    PaymentsService,
    OverdueService,
    ExportsService,
    BillingScheduler,
    ManualPaymentGateway,
    // A card gateway (Stripe) joins this list; the method of a payment picks its gateway.
    { provide: PAYMENT_GATEWAYS, inject: [ManualPaymentGateway], useFactory: (...g: PaymentGateway[]) => g },
  ],
  exports: [
    BillingRunsService,
    InvoicesService,
    InvoiceChainService,
    PaymentsService,
    OverdueService,
    BillingScheduler,
  ],
})
export class BillingModule {}
