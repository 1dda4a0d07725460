import { Injectable, Logger } from '@nestjs/common';
import { Clock, notFound } from '@cw/common';
import { InvoiceOverdue } from '@cw/events';
import { WebhookDispatcher } from '@cw/webhooks';
import { BillingRunsRepository } from './billing-runs.repository';
import { deriveBalance, reminderToSend } from './invoice-status';
import { InvoicesRepository } from './invoices.repository';
import { localDate } from './local-dates';

export interface ReminderSent {
  invoiceId: string;
  level: number;
  balanceMinor: number;
}

/**
 * Finds invoices past their due date with something still owed and sends the reminder level each has reached, once
 * per level: an `invoice.overdue` webhook to subscribers and a log line. The webhook is published before the
 * reminder is recorded, with the invoice and level as its event id, so a sweep that dies in between re-publishes
 * the same event (delivered once) and then records it.
 */
@Injectable()
export class OverdueService {
  private readonly logger = new Logger(OverdueService.name);

  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly runs: BillingRunsRepository,
    private readonly webhooks: WebhookDispatcher,
    private readonly clock: Clock,
  ) {}

  async sweep(siteId: string): Promise<ReminderSent[]> {
    const site = await this.runs.site(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    const today = localDate(this.clock.now(), site.timeZone);
    const sent: ReminderSent[] = [];
    for (const invoice of await this.invoices.overdue(siteId, today)) {
      const { balanceMinor } = deriveBalance({ ...invoice, today });
      if (balanceMinor <= 0) continue;
      const level = reminderToSend(invoice.dueDate, today, invoice.reminderLevels);
      if (level === null) continue;
      const sentAt = this.clock.now();
      const event: InvoiceOverdue = {
        siteId,
        invoiceId: invoice.id,
        series: invoice.series,
        number: invoice.number,
        memberId: invoice.memberId,
        companyId: invoice.companyId,
        level,
        dueDate: invoice.dueDate,
        balanceMinor,
        currency: invoice.currency,
        sentAt: sentAt.toISOString(),
      };
      await this.webhooks.publish(siteId, 'invoice.overdue', `${invoice.id}.reminder-${level}`, event);
      if (await this.invoices.recordReminder(siteId, invoice.id, level, sentAt)) {
        this.logger.warn(
          { siteId, invoiceId: invoice.id, level, balanceMinor, dueDate: invoice.dueDate },
          `invoice ${invoice.id} overdue: reminder ${level} sent`,
        );
        sent.push({ invoiceId: invoice.id, level, balanceMinor });
      }
    }
    return sent;
  }
}
