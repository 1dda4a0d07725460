import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ErrorFilter } from '@cw/common';

export interface HttpAppOptions {
  /** Serve OpenAPI at /docs and /docs-json (the api process). */
  docs?: boolean;
  /** Use Nest's plain logger instead of pino (CLI tools, some tests). */
  bufferLogs?: boolean;
}

/** The same HTTP setup for every process: pino logger, one error body, JSON size limit, OpenAPI, shutdown hooks. */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: options.bufferLogs ?? true,
    bodyParser: false,
  });
  configureHttpApp(app, options);
  return app;
}

/** Applied by `createHttpApp` and by tests that build the app from a testing module. */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  app.useLogger(app.get(Logger));
  const express = app as NestExpressApplication;
  // Large enough for HTTP_MAX_BATCH events; bigger bodies get a 413 with the error body below.
  express.useBodyParser('json', { limit: '16mb' });
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  if (options.docs) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Coworking platform API')
        .setDescription(
          'Sites, events, occupancy, bookings and operations. Authenticate with `Authorization: Bearer <API key>`.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  }
}
