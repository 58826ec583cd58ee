// `npm run web`: one core, served to the browser on 127.0.0.1 with a per-run token.
import { parseArgs } from 'node:util';
import { createCore } from '../core/api';
import { startWebHost } from './web/webHost';
import { findRendererDir } from './web/rendererDir';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    config: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});

const core = await createCore({ configPath: values.config, dataDir: values['data-dir'], resumeWalStreams: true, runSchedules: true });
const host = await startWebHost({ core, rendererDir: findRendererDir(), port: values.port ? Number(values.port) : 0 });
process.stdout.write(`Lifeboat is running in browser mode (loopback only).\nOpen: ${host.url}\nFleet file: ${core.info.configPath}\nPress Ctrl+C to stop.\n`);

const stop = async () => {
  await host.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
