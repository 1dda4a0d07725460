import { connectAsync, IClientOptions, MqttClient } from 'mqtt';

/** A device-like publisher: QoS 1, the API key as password, reconnecting like real firmware. */
export async function connectPublisher(
  url: string,
  password: string | undefined,
  options: IClientOptions = {},
): Promise<MqttClient> {
  return connectAsync(url, {
    username: 'test-device',
    password,
    clientId: `test-${Math.random().toString(36).slice(2)}`,
    reconnectPeriod: 200,
    connectTimeout: 5000,
    ...options,
  });
}

/** Polls until `check` holds or the time is up; the last value is returned so the test asserts on it. */
export async function waitFor<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
