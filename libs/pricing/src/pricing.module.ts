import { Module } from '@nestjs/common';
import { SitesModule } from '@cw/sites';
import { PricingController } from './pricing.controller';
import { PricingRepository } from './pricing.repository';
import { PricingService } from './pricing.service';

@Module({
  imports: [SitesModule],
  controllers: [PricingController],
  providers: [PricingRepository, PricingService],
  exports: [PricingService],
})
export class PricingModule {}
