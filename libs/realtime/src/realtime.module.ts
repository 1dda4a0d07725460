import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AuthCoreModule } from '@cw/auth';
import { LiveGateway } from './live.gateway';
import { LivePublisher } from './live.publisher';
import { LiveSnapshotSourceOption, snapshotSourceProvider } from './live-snapshot.source';
import { LiveTransport } from './live.transport';

/** The publisher alone, for engines and for processes that serve no HTTP (a worker emits through Redis). */
@Module({
  providers: [LiveTransport, LivePublisher],
  exports: [LiveTransport, LivePublisher],
})
export class RealtimeCoreModule {}

export interface RealtimeModuleOptions {
  /**
   * Where the join snapshot comes from: the occupancy engine. Required rather than defaulted to an empty snapshot,
   * because a map that shows no states while the engine runs unwired is a bug nobody would notice at boot.
   */
  snapshotSource: LiveSnapshotSourceOption;
  /** Modules that export the source (for `useExisting`) or its dependencies (for a class). */
  imports?: ModuleMetadata['imports'];
}

/** Adds the `/live` gateway on the HTTP server; one process importing both modules still has one publisher. */
@Module({})
export class RealtimeModule {
  static forRoot(options: RealtimeModuleOptions): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [RealtimeCoreModule, AuthCoreModule, ...(options.imports ?? [])],
      providers: [LiveGateway, snapshotSourceProvider(options.snapshotSource)],
      exports: [RealtimeCoreModule],
    };
  }
}
