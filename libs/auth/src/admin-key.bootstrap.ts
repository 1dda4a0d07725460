import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { ApiKeysService } from './api-keys.service';

/** With ADMIN_API_KEY set, an admin key with exactly that secret exists once the app has booted. */
@Injectable()
export class AdminKeyBootstrap implements OnModuleInit {
  private readonly logger = new Logger(AdminKeyBootstrap.name);

  constructor(
    private readonly config: AppConfig,
    private readonly keys: ApiKeysService,
  ) {}

  async onModuleInit(): Promise<void> {
    const token = this.config.get('ADMIN_API_KEY');
    if (!token) return;
    await this.keys.create({
      id: 'admin-env',
      name: 'admin (ADMIN_API_KEY)',
      role: 'admin',
      siteId: null,
      token,
    });
    this.logger.log('admin key from ADMIN_API_KEY is active');
  }
}
