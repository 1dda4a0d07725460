import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cw/common';

export interface PaymentIntent {
  siteId: string;
  amountMinor: number;
  currency: string;
  method: string;
  reference: string | null;
  receivedAt: Date;
}

export interface ConfirmedPayment {
  /** The adapter's method name as stored on the payment ('manual', 'bank_transfer', later 'stripe'). */
  method: string;
  reference: string | null;
  receivedAt: Date;
}

/**
 * The port payment providers sit behind. An adapter confirms money received (or collects it, for a card gateway) and
 * says how it was taken; billing then records the payment and allocates it. A Stripe adapter would collect here.
 */
export abstract class PaymentGateway {
  /** Methods this gateway takes. */
  abstract readonly methods: readonly string[];
  abstract confirm(intent: PaymentIntent): Promise<ConfirmedPayment>;
}

export const MANUAL_METHODS = ['manual', 'bank_transfer'] as const;

/**
 * Money the operator saw arrive (cash, a card terminal, a bank statement line): nothing to collect, the operator's
 * record is the confirmation. A bank transfer needs its statement reference, so it can be reconciled later.
 */
@Injectable()
export class ManualPaymentGateway extends PaymentGateway {
  readonly methods = MANUAL_METHODS;

  confirm(intent: PaymentIntent): Promise<ConfirmedPayment> {
    if (intent.method === 'bank_transfer' && !intent.reference) {
      return Promise.reject(
        new DomainError(ErrorCode.Validation, 'a bank transfer needs its reference', [
          { path: 'reference', message: 'required for bank_transfer' },
        ]),
      );
    }
    return Promise.resolve({
      method: intent.method,
      reference: intent.reference,
      receivedAt: intent.receivedAt,
    });
  }
}
