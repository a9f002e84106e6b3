import { readFileSync } from 'node:fs';
import { JavaMissingError } from '../dynamodb/java';
import { startRouterCloud } from '../cloud/router-cloud';
import { banner, statusLines } from './banner';
import { parseStartFlags, USAGE } from './parse-flags';

/** `npm start`: the local multi-region cloud with Switchyard deployed on it, until Ctrl-C. */
const main = async (): Promise<void> => {
  // The SDK's Node 20 deprecation notice would otherwise interrupt the banner; Lambda itself runs Node 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const flags = parseStartFlags(process.argv.slice(2));
  if (flags.help) return void console.log(USAGE);
  const started = performance.now();
  console.log(`Starting the local cloud for ${flags.regions.join(', ')} …`);
  const rc = await startRouterCloud({
    regions: flags.regions,
    ports: flags.ports,
    router: {
      ...(flags.catalogPath ? { catalogYaml: readFileSync(flags.catalogPath, 'utf8') } : {}),
      replicationLagMs: flags.replicationLagMs,
      onProgress: (step) => console.log(`  … ${step}`),
    },
  });
  console.log(banner(rc, performance.now() - started));
  const interactive = process.stdout.isTTY && !flags.quiet;
  let previous = '';
  let previousLines = 0;
  let rendering = false;
  // The ownership view reads every region's coord table; a slow read skips a frame rather than piling up.
  const render = async (): Promise<void> => {
    if (rendering) return;
    rendering = true;
    try {
      const lines = statusLines(rc, await rc.ownership().catch(() => undefined));
      const text = lines.join('\n');
      if (text === previous) return;
      if (interactive && previousLines > 0) process.stdout.write(`\x1b[${previousLines}A\x1b[J`);
      // Clearing each line's tail matters only when redrawing in place; a pipe gets plain lines.
      process.stdout.write(`${lines.map((l) => (interactive ? `${l}\x1b[K` : l)).join('\n')}\n`);
      previous = text;
      previousLines = lines.length;
    } finally {
      rendering = false;
    }
  };
  const timer = setInterval(() => void render(), flags.quiet ? 3_600_000 : 1_000);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    console.log(`\n${signal}: stopping the local cloud …`);
    rc.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError || error instanceof RangeError) console.error(`\n${error.message}\n`);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `\nA port is already in use (${(error as Error).message}). Stop the other process or pick ports with --dynamodb-port/--eventbridge-port/--control-port/--lambda-port/--sqs-port.\n`,
    );
  } else console.error(error);
  process.exit(1);
});
