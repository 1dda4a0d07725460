import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { Config, loadConfig } from './config.schema';

@Global()
@Module({})
export class ConfigModule {
  /** `overrides` lets tests and the CLI supply values without touching process.env. */
  static forRoot(overrides: Partial<Record<keyof Config, string>> = {}): DynamicModule {
    const config = new AppConfig(loadConfig({ ...process.env, ...overrides }));
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }

  static fromConfig(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
