import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A proxy in front of a real collector, between it and the browser: it records every request the
// extension makes (method, path, time, body), and can be made to fail the ways networks and
// servers do, then recover. The extension is given the proxy's address as the study's.

/**
 * `pass`: forward. `error`: answer 500 with the protocol's error body. `slow`: forward after a
 * delay. `hang`: never answer. `hold`: keep the request until `release()`, then forward it.
 * `lose`: forward, then cut the connection, so the collector stores what the extension never hears
 * about. `down`: the port refuses connections (see `down()`).
 */
export type ProxyMode = 'pass' | 'error' | 'slow' | 'hang' | 'hold' | 'lose';

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  body: string;
  /** What the extension got: a status, or how the connection ended. */
  outcome: number | 'hung' | 'cut' | 'pending';
}

export interface CollectorProxy {
  url: string;
  requests: RecordedRequest[];
  mode: ProxyMode;
  /** The requests the mode applies to (e.g. only submissions); the others pass. All when null. */
  only: { method: string; path: string } | null;
  slowMs: number;
  /** Forwards the held requests to the collector (their answers go back if the extension still listens). */
  release(): Promise<void>;
  /** Resolves once a request is held. */
  held(): Promise<RecordedRequest>;
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Points the proxy at another collector (one restarted with a new configuration). */
  target: string;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export async function startProxy(target: string): Promise<CollectorProxy> {
  const sockets = new Set<Socket>();
  const holding: { forward: () => Promise<void> }[] = [];
  let onHeld: ((request: RecordedRequest) => void) | null = null;
  let server: Server;
  let port = 0;

  async function forward(proxy: CollectorProxy, request: IncomingMessage, body: string, response: ServerResponse, recorded: RecordedRequest, cut = false) {
    const answer = await fetch(`${proxy.target}${request.url}`, {
      method: request.method,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => ['authorization', 'content-type'].includes(name)) as [string, string][],
      ),
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
    });
    const text = await answer.text();
    if (cut) {
      recorded.outcome = 'cut';
      response.socket?.destroy();
      return;
    }
    recorded.outcome = answer.status;
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(text);
  }

  const proxy: CollectorProxy = {
    url: '',
    requests: [],
    mode: 'pass',
    only: null,
    slowMs: 3000,
    target,
    async release() {
      const waiting = holding.splice(0);
      await Promise.all(waiting.map((held) => held.forward()));
    },
    held() {
      return new Promise((resolve) => {
        onHeld = resolve;
      });
    },
    async down() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    async up() {
      await listen();
    },
    async close() {
      await proxy.down().catch(() => undefined);
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const recorded: RecordedRequest = { method: request.method ?? '', path: request.url ?? '', at: Date.now(), body, outcome: 'pending' };
    proxy.requests.push(recorded);
    const applies = !proxy.only || (proxy.only.method === recorded.method && recorded.path.startsWith(proxy.only.path));
    try {
      switch (applies ? proxy.mode : 'pass') {
        case 'pass':
          return await forward(proxy, request, body, response, recorded);
        case 'error':
          recorded.outcome = 500;
          response.writeHead(500, { 'content-type': 'application/json' });
          return response.end(JSON.stringify({ error: { code: 'internal', message: 'the collector failed (test proxy)' } }));
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, proxy.slowMs));
          return await forward(proxy, request, body, response, recorded);
        case 'hang':
          recorded.outcome = 'hung';
          return;
        case 'hold':
          holding.push({ forward: () => forward(proxy, request, body, response, recorded).catch(() => undefined) });
          onHeld?.(recorded);
          onHeld = null;
          return;
        case 'lose':
          return await forward(proxy, request, body, response, recorded, true);
      }
    } catch {
      recorded.outcome = 'cut';
      response.socket?.destroy();
    }
  };

  function listen() {
    server = createServer((request, response) => void handle(request, response));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        proxy.url = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  }

  await listen();
  return proxy;
}
