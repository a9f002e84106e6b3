import { spawnSync } from 'node:child_process';

const MINIMUM_JAVA_MAJOR = 17;

/** Raised when no usable Java runtime is on PATH; the message says what to install. */
export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR} or newer, ${detail}. ` +
        'Install a JRE (for example `apt-get install openjdk-17-jre-headless`, or `brew install openjdk@17`) ' +
        'and make sure `java -version` works in this shell, then run the command again.',
    );
    this.name = 'JavaMissingError';
  }
}

/** Parses the major version from `java -version` output ("17.0.15", "1.8.0_392", "21"). */
export const parseJavaMajor = (versionOutput: string): number | undefined => {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
};

/** Checks that `java` (or `command`) runs and is at least Java 17; throws JavaMissingError otherwise. */
export const assertJavaAvailable = (command = 'java'): number => {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError(`but \`${command}\` could not be run (${result.error.message})`);
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined) throw new JavaMissingError(`but \`${command} -version\` printed no version`);
  if (major < MINIMUM_JAVA_MAJOR) throw new JavaMissingError(`but found Java ${major}`);
  return major;
};
