export * from './noshow.rules';
export * from './noshow.repository';
export * from './noshow.engine';
export * from './noshow.module';
export * from './decision-timers';
export * from './release.publisher';
export * from './noshow-policies';
export { noShowDecisionJob } from './job-queue.decision-timers';
