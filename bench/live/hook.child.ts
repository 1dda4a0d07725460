// The webhook subscriber of the live bench: a loopback HTTP server in its own process, so receiving never runs on
// the app's event loop. It answers 204 at once and notes each delivery's webhook-id, booking and receive time.
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import type { BookingRelease } from '@cw/events';
import { FromHook, HookReceipt, ToHook } from './protocol';

const send = (message: FromHook) => process.send?.(message);

const receipts: HookReceipt[] = [];
let requests = 0;
let badRequests = 0;
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);

const server = createServer((req, res) => {
  const receivedAt = Date.now();
  requests++;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(204).end();
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        type: string;
        data: BookingRelease;
      };
      const webhookId = req.headers['webhook-id'];
      if (body.type !== 'booking.released' || typeof webhookId !== 'string') throw new Error('unexpected');
      receipts.push({ webhookId, bookingId: body.data.bookingId, receivedAt });
    } catch {
      badRequests++;
    }
  });
});
// Node's default keep-alive (5 s, announced as `Keep-Alive: timeout=5`), as a typical receiver behind Node, nginx or a
// cloud load balancer keeps connections; at 1 s the platform's client would not reuse them (it stops a second early).
server.keepAliveTimeout = 5000;

process.on('message', (message: ToHook) => {
  switch (message.type) {
    case 'start':
      server.listen(0, '127.0.0.1', () =>
        send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` }),
      );
      break;
    case 'report':
      send({
        type: 'report',
        requests,
        receipts,
        badRequests,
        peakRssMb: Math.round(peakRss / 1024 / 1024),
      });
      break;
    case 'stop':
      clearInterval(rssTimer);
      server.close();
      server.closeAllConnections();
      setTimeout(() => process.exit(0), 100);
      break;
  }
});
process.on('disconnect', () => setTimeout(() => process.exit(0), 500).unref());
