import { Module } from '@nestjs/common';
import { BookingPayments } from './booking-payments.service';
import { CreditsRepository } from './credits.repository';
import { CreditsService } from './credits.service';
import { MemberCreditsController } from './member-credits.controller';
import { PassesRepository } from './passes.repository';
import { PassesService } from './passes.service';
import { VouchersController } from './vouchers.controller';
import { VouchersRepository } from './vouchers.repository';
import { VouchersService } from './vouchers.service';

@Module({
  controllers: [VouchersController, MemberCreditsController],
  providers: [
    CreditsRepository,
    VouchersRepository,
    PassesRepository,
    CreditsService,
    VouchersService,
    PassesService,
    BookingPayments,
  ],
  exports: [CreditsService, VouchersService, PassesService, BookingPayments],
})
export class CreditsModule {}
