import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { CollectorConfig } from './config.js';
import { openStorage } from './storage/open.js';

export interface RunningCollector {
  /** Where it listens, e.g. http://127.0.0.1:8787 (the real port when the config asked for 0). */
  url: string;
  close(): Promise<void>;
}

/** Opens the storage, listens, and hands back how to stop both. Used by the command, the tests and the benchmark. */
export async function startCollector(config: CollectorConfig): Promise<RunningCollector> {
  const storage = await openStorage(config.database);
  const app = createApp(config, storage);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would otherwise hold the close open.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }).then(() => storage.close()),
      });
    });
    server.once('error', reject);
  });
}
