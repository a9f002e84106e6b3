import { DEFAULT_PORTS, DEFAULT_REGIONS } from '../cloud/local-cloud';

export interface StartFlags {
  regions: string[];
  ports: { -readonly [K in keyof typeof DEFAULT_PORTS]: number };
  catalogPath?: string;
  replicationLagMs: number;
  quiet: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [options]

  --regions a,b,c           regions to emulate (default ${DEFAULT_REGIONS.join(',')})
  --dynamodb-port N         DynamoDB endpoint port (default ${DEFAULT_PORTS.dynamodb})
  --eventbridge-port N      EventBridge endpoint port (default ${DEFAULT_PORTS.eventBridge})
  --control-port N          control API port (default ${DEFAULT_PORTS.control})
  --lambda-port N           Lambda and STS endpoint port (default ${DEFAULT_PORTS.lambda})
  --sqs-port N              SQS endpoint port (default ${DEFAULT_PORTS.sqs})
  --catalog FILE            routes catalog YAML to activate (default routes/sample.yaml)
  --replication-lag-ms N    global-table replication lag (default 50)
  --quiet                   no live status line
  --help                    this text`;

const port = (flag: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new RangeError(`${flag} needs a port number from 0 to 65535, got "${value ?? ''}"`);
  return n;
};

/** Parses `npm start` flags; throws RangeError with the flag's name on a bad value. */
export const parseStartFlags = (argv: readonly string[]): StartFlags => {
  const flags: StartFlags = {
    regions: [...DEFAULT_REGIONS],
    ports: { ...DEFAULT_PORTS },
    replicationLagMs: 50,
    quiet: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    const next = (): string | undefined => argv[++i];
    if (flag === '--regions')
      flags.regions = (next() ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
    else if (flag === '--dynamodb-port') flags.ports.dynamodb = port(flag, next());
    else if (flag === '--eventbridge-port') flags.ports.eventBridge = port(flag, next());
    else if (flag === '--control-port') flags.ports.control = port(flag, next());
    else if (flag === '--lambda-port') flags.ports.lambda = port(flag, next());
    else if (flag === '--sqs-port') flags.ports.sqs = port(flag, next());
    else if (flag === '--catalog') flags.catalogPath = next();
    else if (flag === '--replication-lag-ms') flags.replicationLagMs = port(flag, next());
    else if (flag === '--quiet') flags.quiet = true;
    else if (flag === '--help' || flag === '-h') flags.help = true;
    else throw new RangeError(`Unknown option ${flag}; see --help`);
  }
  if (flags.regions.length === 0 || !flags.regions.every((r) => /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r))) {
    throw new RangeError(
      `--regions needs AWS region names such as us-east-1,eu-west-1, got "${flags.regions.join(',')}"`,
    );
  }
  return flags;
};
