import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { WebhookHttpClient, WebhookResponse } from '@cw/webhooks';

/** A loopback receiver that counts its connections and lets each test decide what a request on a connection gets. */
async function receiver(
  answer: (req: IncomingMessage, res: ServerResponse, nthOnConnection: number) => void,
): Promise<{ server: Server; url: URL; connections: () => number; bodies: string[] }> {
  const bodies: string[] = [];
  const seen = new WeakMap<Socket, number>();
  let connections = 0;
  const server = createServer((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      answer(req, res, n);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: new URL(`http://127.0.0.1:${port}/hooks`), connections: () => connections, bodies };
}

describe('webhook HTTP client', () => {
  let client: WebhookHttpClient;
  const servers: Server[] = [];
  const send = (url: URL, body: string, timeoutMs = 2000): Promise<WebhookResponse> =>
    client.send({
      target: { url, addresses: [{ address: '127.0.0.1', family: 4 }] },
      headers: { 'webhook-id': body },
      body,
      timeoutMs,
    });

  beforeEach(() => (client = new WebhookHttpClient()));
  afterEach(async () => {
    client.onModuleDestroy();
    await Promise.all(
      servers.splice(0).map((s) => {
        s.closeAllConnections();
        return new Promise((resolve) => s.close(resolve));
      }),
    );
  });

  it('sends one request after another over one kept-alive connection', async () => {
    const hook = await receiver((_req, res) => res.writeHead(204).end());
    servers.push(hook.server);
    for (let i = 0; i < 5; i++) expect(await send(hook.url, `e${i}`)).toMatchObject({ statusCode: 204 });
    expect(hook.bodies).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(hook.connections()).toBe(1);
  });

  it('sends again, once, on a new connection when a reused one is reset', async () => {
    // The receiver drops every connection at its second request, as a server closing an idle connection would.
    const hook = await receiver((req, res, n) => (n === 1 ? res.writeHead(204).end() : req.socket.destroy()));
    servers.push(hook.server);
    expect(await send(hook.url, 'first')).toMatchObject({ statusCode: 204 });
    expect(await send(hook.url, 'second')).toMatchObject({ statusCode: 204 });
    expect(hook.connections()).toBe(2);
    expect(hook.bodies).toEqual(['first', 'second', 'second']);
  });

  it('does not send again when a fresh connection is reset', async () => {
    const hook = await receiver((req) => req.socket.destroy());
    servers.push(hook.server);
    const outcome = await send(hook.url, 'only');
    expect(outcome).toMatchObject({ error: expect.stringMatching(/ECONNRESET/) });
    expect(hook.bodies).toEqual(['only']);
  });

  it('gives up at the deadline on a receiver that never answers, and the next request gets a new connection', async () => {
    let hang = true;
    const hook = await receiver((_req, res) => {
      if (!hang) res.writeHead(204).end();
    });
    servers.push(hook.server);
    expect(await send(hook.url, 'stuck', 300)).toMatchObject({ error: 'timed out after 300 ms' });
    hang = false;
    expect(await send(hook.url, 'next')).toMatchObject({ statusCode: 204 });
    expect(hook.connections()).toBe(2);
  });
});
