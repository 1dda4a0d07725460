import { Module } from '@nestjs/common';
import { AuthCoreModule } from '@cw/auth';
import { SitesModule } from '@cw/sites';
import { DemoRunner } from './demo.runner';

@Module({ imports: [AuthCoreModule, SitesModule], providers: [DemoRunner], exports: [DemoRunner] })
export class DemoModule {}
