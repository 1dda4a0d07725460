import { DynamicModule, Global, Module } from '@nestjs/common';
import { Config } from '@cw/config';

/** The job names an app keeps in its own process whatever JOBS_PROCESS says; provided by JobsPlacementModule. */
export const JOBS_KEPT_HERE = Symbol('JOBS_KEPT_HERE');

/**
 * Which handlers of this process run here. `all` runs every one. `none` leaves background jobs to apps/worker and
 * runs only the jobs the app keeps: timers whose handlers act on in-memory state of this very process.
 */
export function jobsRunningHere(
  mode: Config['JOBS_PROCESS'],
  keptHere: readonly string[],
): (jobName: string) => boolean {
  const kept = new Set(keptHere);
  return mode === 'all' ? () => true : (jobName) => kept.has(jobName);
}

/**
 * Declared by an app at its root: the jobs bound to its live engines. Global, so JobsModule (imported by every lib)
 * sees it; an app that declares nothing keeps nothing.
 */
@Global()
@Module({})
export class JobsPlacementModule {
  static keepHere(jobNames: readonly string[]): DynamicModule {
    return {
      module: JobsPlacementModule,
      providers: [{ provide: JOBS_KEPT_HERE, useValue: [...jobNames] }],
      exports: [JOBS_KEPT_HERE],
    };
  }
}
