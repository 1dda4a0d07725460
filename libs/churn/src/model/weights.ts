import { ChurnModel } from './churn-model';

/**
 * Weights fitted (logistic regression, then rounded) on simulators/scenarios/churn-tuning.yaml, scored as of day 98
 * with the 60-day horizon; judged on churn-holdout.yaml, which they never saw (tests/e2e/churn-truth.test.ts).
 * Re-fit with tests/support/churn-tune.ts. The version is stored with every score.
 */
export const CHURN_MODEL: ChurnModel = {
  version: 'churn-v1',
  intercept: -3,
  weights: {
    visitDecline: 1,
    bookingDecline: 0.3,
    logDaysSinceVisit: 0.4,
    overdueInvoice: 0.5,
    overdueMonth: 0.3,
    contractEnding: 3,
    downgrade: 1.5,
  },
};
