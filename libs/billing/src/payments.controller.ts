import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { paymentSchema, toPaymentView } from './dto/billing.dto';
import { IdParam, SITE } from './dto/path-param.pipe';
import { PaymentsService } from './payments.service';

const PAYMENT = new IdParam('id');

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/sites/:site/payments')
@Roles('admin', 'manager')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @ApiOperation({
    summary: 'Record a payment and allocate it',
    description:
      'Through the payment gateway of its method (manual, bank_transfer). Allocated as given in allocations (each ' +
      'at most the invoice balance, together at most the amount: 409 otherwise), else to the oldest open invoices ' +
      'of the buyer first; what is left stays unallocated on account.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['amountMinor', 'method', 'receivedAt'],
      properties: {
        id: { type: 'string' },
        member: { type: 'string' },
        company: { type: 'string' },
        guestBooking: { type: 'string', description: "a guest's payment: the booking whose invoice it pays" },
        amountMinor: { type: 'integer', example: 12100 },
        currency: { type: 'string', example: 'EUR' },
        method: { type: 'string', enum: ['manual', 'bank_transfer'] },
        reference: { type: 'string' },
        receivedAt: { type: 'string', format: 'date-time' },
        allocations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['invoice', 'amountMinor'],
            properties: { invoice: { type: 'string' }, amountMinor: { type: 'integer' } },
          },
        },
      },
    },
  })
  async record(
    @Param('site', SITE) site: string,
    @Body(new ZodBody(paymentSchema)) body: z.infer<typeof paymentSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const payment = await this.payments.record(site, {
      id: body.id,
      buyer: body.company
        ? { type: 'company', id: body.company }
        : body.guestBooking
          ? { type: 'guest', id: body.guestBooking }
          : { type: 'member', id: body.member as string },
      amountMinor: body.amountMinor,
      currency: body.currency,
      method: body.method,
      reference: body.reference ?? null,
      receivedAt: body.receivedAt,
      allocations: body.allocations?.map((a) => ({ invoiceId: a.invoice, amountMinor: a.amountMinor })),
    });
    return toPaymentView(payment);
  }

  @Get(':id')
  async get(
    @Param('site', SITE) site: string,
    @Param('id', PAYMENT) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    return toPaymentView(await this.payments.get(site, id));
  }
}
