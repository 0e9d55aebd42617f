import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { startCollector } from './server.js';

// `npm run collector -- --config collector/study.example.json` (collector/README.md).
const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } });

try {
  const config = loadConfig(values.config ?? process.env.COLLECTOR_CONFIG);
  const collector = await startCollector(config);
  const where = /^postgres(ql)?:\/\//.test(config.database) ? 'PostgreSQL' : `SQLite file ${config.database}`;
  console.log(`ThoughtTrace collector for study "${config.study.id}" at ${collector.url}, storing in ${where}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void collector.close().then(() => process.exit(0)));
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
