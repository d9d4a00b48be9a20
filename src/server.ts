import type { FastifyInstance } from 'fastify';
import { createApp, createContext } from './app.js';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildJobs } from './workers/jobs.js';
import { WorkerLoop } from './workers/worker.js';

export interface RunningServer {
  ctx: AppContext;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Opens the database, migrates it, starts the worker (unless turned off) and listens. */
export async function startServer(
  config: Config,
  overrides: Parameters<typeof createContext>[2] = {},
): Promise<RunningServer> {
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const ctx = createContext(config, database, overrides);
  const app = await createApp(ctx);
  const worker = config.runWorker ? new WorkerLoop(buildJobs(ctx), ctx.log) : null;
  await app.listen({ port: config.port, host: config.host });
  worker?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | null = null;
  return {
    ctx,
    app,
    url: `http://${host}:${port}`,
    close() {
      closing ??= (async () => {
        await worker?.stop();
        await app.close();
        await database.close();
      })();
      return closing;
    },
  };
}
