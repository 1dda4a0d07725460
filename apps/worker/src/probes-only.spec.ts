import { isProbePath } from './probes-only';

describe('isProbePath', () => {
  it('lets the health and metrics routes through, with sub-paths and queries', () => {
    expect(['/health', '/health/ready', '/metrics', '/metrics?x=1'].filter(isProbePath)).toHaveLength(4);
  });

  it('keeps the domain API off the worker', () => {
    expect(['/', '/v1/sites', '/healthy', '/metrics-x', '/v1/health'].filter(isProbePath)).toEqual([]);
  });
});
