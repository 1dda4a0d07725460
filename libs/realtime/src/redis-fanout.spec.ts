import { guardPublish } from './redis-fanout';

describe('guardPublish', () => {
  it('turns a failed fire-and-forget publish into a logged error instead of an unhandled rejection', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const failure = new Error('Connection is closed.');
      const client = { publish: (_channel: string, _message: string | Buffer) => Promise.reject(failure) };
      const onError = jest.fn();
      guardPublish(client, onError);
      // What the adapter does: call and drop the promise.
      void client.publish('socket.io#/live#', 'payload');
      await new Promise((resolve) => setImmediate(resolve));
      expect(onError).toHaveBeenCalledWith(failure);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('passes successful publishes through unchanged', async () => {
    const client = { publish: jest.fn((_channel: string, _message: string | Buffer) => Promise.resolve(2)) };
    const original = client.publish;
    guardPublish(client, jest.fn());
    await expect(client.publish('c', 'm')).resolves.toBe(2);
    expect(original).toHaveBeenCalledWith('c', 'm');
  });
});
