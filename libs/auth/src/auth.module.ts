import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminKeyBootstrap } from './admin-key.bootstrap';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';

/** Keys and their verification, for processes that authenticate MQTT clients but serve no HTTP. */
@Module({
  providers: [ApiKeysRepository, ApiKeysService, AdminKeyBootstrap],
  exports: [ApiKeysService],
})
export class AuthCoreModule {}

/** Adds the key admin API and the global guard that protects every HTTP route. */
@Module({
  imports: [AuthCoreModule],
  controllers: [ApiKeysController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthCoreModule],
})
export class AuthModule {}
