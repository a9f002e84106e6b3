import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, CommanderError, Option } from 'commander';
import { version } from '../package.json';
import { createLambdaAdminInvoker } from './admin-client';
import { EXIT, isCliError } from './cli-errors';
import { registerAuditAndErase } from './commands/audit-erase';
import { registerParkedAndRedrive } from './commands/parked-redrive';
import { registerReconcile } from './commands/reconcile';
import { registerRegion } from './commands/region';
import { registerReplay } from './commands/replay';
import { registerRoutes } from './commands/routes';
import { errorJson, renderError } from './format';
import type { CliIo } from './session';
import { LOCAL_ENDPOINT, LOCAL_REGION } from './target';

const MORE_HELP = `
Targets:
  local cloud (default)   ${LOCAL_ENDPOINT}, region ${LOCAL_REGION}, stage local; start it with \`npm start\`.
                          Uses AWS_ACCESS_KEY_ID/AWS_PROFILE when set, otherwise local credentials.
  a deployed stage        --stage <name> --region <region>: Lambda Invoke of switchyard-<stage>-admin
                          with your default AWS credentials (profile, SSO, environment, role).

Every call carries a presigned sts:GetCallerIdentity URL, so the admin audits your verified ARN.

Examples:
  npx switchyard routes show
  npx switchyard routes publish routes/sample.yaml --activate
  npx switchyard region status --json
  npx switchyard replay start --tenant orders --status parked --dry-run
  npx switchyard --stage prod --region eu-west-1 region fence ap-southeast-2

Exit codes: 0 ok, 1 refused by the admin function, 2 usage error, 3 cannot reach it.`;

/** The `switchyard` program: global options, every command group, and errors routed to `runCli`. */
export const buildProgram = (io: CliIo): Command => {
  const program = new Command('switchyard')
    .description('Operate a Switchyard stage: routes, replay, reconcile, parked deliveries, regions, audit, erase.')
    .version(version)
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError('(add --help for usage)')
    .addOption(new Option('--endpoint <url>', `Lambda/STS endpoint of a local cloud (default ${LOCAL_ENDPOINT})`))
    .addOption(new Option('--region <region>', `region whose admin function to call (local default ${LOCAL_REGION})`))
    .addOption(new Option('--stage <name>', 'a deployed stage; without --endpoint this targets AWS'))
    .addOption(new Option('--json', 'print results as JSON, for scripts'))
    .addHelpText('after', MORE_HELP);
  registerRoutes(program, io);
  registerReplay(program, io);
  registerReconcile(program, io);
  registerParkedAndRedrive(program, io);
  registerRegion(program, io);
  registerAuditAndErase(program, io);
  return program;
};

/** Commander's own exits: help and version are fine, every other one is a usage error. */
const commanderExit = (error: CommanderError): number => {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
};

/** Runs the CLI on `argv` (the words after `switchyard`) and returns its exit code. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error);
    if (!isCliError(error)) throw error;
    if (program.opts().json === true) io.stdout(`${JSON.stringify(errorJson(error), null, 2)}\n`);
    else io.stderr(`${renderError(error)}\n`);
    return error.exitCode;
  }
};

/** The process's I/O: real streams, files, Ctrl-C, and Lambda. */
export const processIo = (): CliIo => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  interactive: process.stderr.isTTY === true,
  progressStream: process.stderr,
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
  sleep: (ms) => sleep(ms),
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
  invokerFor: (target) => createLambdaAdminInvoker(target),
});

/** `npx switchyard …`: runs on the process's arguments and sets its exit code. */
export const runMain = async (): Promise<void> => {
  // The SDK warns that Node 20 support ends in 2027; an operator tool should not print that on every call.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    process.exitCode = await runCli(process.argv.slice(2), processIo());
  } catch (error) {
    console.error('switchyard: unexpected error (a bug in the CLI, please report it):', error);
    process.exitCode = EXIT.refused;
  }
};
