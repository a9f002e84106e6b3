/**
 * The inbox streams route reads in one region: one per zone that has a replica there. A stack
 * that owns the zone's inbox gets its replica's stream with Fn::GetAtt; any other stack cannot
 * reach it (no cross-region GetAtt or ImportValue, and the ARN ends in a creation timestamp), so
 * scripts/deploy.sh looks each one up and passes `--param="inboxStreams=<zone>=<arn>;<zone>=<arn>"`
 * (docs/decisions/015-zone-table-owners.md, which generalizes 002).
 */
import { zoneTableName } from '../../shared/table-definitions';
import type { StageConfig } from './stage-file';
import { tableLogicalId, tablesOfRegion } from './stack-tables';

/** The serverless param that carries the stream ARNs of the zone inboxes other stacks own. */
export const INBOX_STREAMS_PARAM = 'inboxStreams';

/** One inbox stream route maps in a region: GetAtt when this stack owns the table, else the passed ARN. */
export interface InboxStream {
  zone: string;
  owned: boolean;
  arn: unknown;
}

/** Zones whose inbox has a replica in `region` but is declared by another region's stack. */
export const streamsNeeded = (stage: string, config: StageConfig, region: string): string[] =>
  tablesOfRegion(stage, config, region)
    .filter((table) => table.logical === 'inbox' && !table.owned)
    .map((table) => table.zone ?? '');

/**
 * The stream ARN of a zone's inbox replica given to a region whose stack does not own that table
 * when nothing can look it up: packaging offline, `serverless invoke local`. A real deploy passes
 * the replica's LatestStreamArn (scripts/deploy.sh); account 000000000000 never exists, so such a
 * template cannot be deployed.
 */
export const offlineStreamArn = (stage: string, region: string, zone: string): string =>
  `arn:aws:dynamodb:${region}:000000000000:table/${zoneTableName(stage, zone, 'inbox')}/stream/offline-package`;

/** The `inboxStreams` param with a placeholder for every zone another stack owns. */
export const offlineInboxStreams = (stage: string, config: StageConfig, region: string): string =>
  formatInboxStreams(new Map(streamsNeeded(stage, config, region).map((z) => [z, offlineStreamArn(stage, region, z)])));

/** `zone=arn;zone=arn` → zone → arn. */
export const parseInboxStreams = (param: unknown): Map<string, string> => {
  if (param === null || param === undefined || param === '') return new Map();
  if (typeof param !== 'string') throw new Error(`--param="${INBOX_STREAMS_PARAM}=..." must be text`);
  return new Map(
    param
      .split(';')
      .filter((entry) => entry.trim() !== '')
      .map((entry) => {
        const at = entry.indexOf('=');
        if (at < 1) throw new Error(`--param="${INBOX_STREAMS_PARAM}=..." has an entry without <zone>=: ${entry}`);
        return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()] as const;
      }),
  );
};

/** zone → arn as the param's value. */
export const formatInboxStreams = (streams: ReadonlyMap<string, string>): string =>
  [...streams].map(([zone, arn]) => `${zone}=${arn}`).join(';');

const streamPattern = (stage: string, region: string, zone: string): RegExp =>
  new RegExp(
    `^arn:aws[\\w-]*:dynamodb:${region}:\\d{12}:table/${zoneTableName(stage, zone, 'inbox').replace(/[.-]/g, '\\$&')}/stream/[\\w.:-]+$`,
  );

/**
 * Resolves every inbox stream of `region`, refusing a missing ARN, one of another region or
 * table, and a zone that needs none, with what to pass instead.
 */
export const resolveInboxStreams = (
  stage: string,
  config: StageConfig,
  region: string,
  param: unknown,
): InboxStream[] => {
  const passed = parseInboxStreams(param);
  const needed = streamsNeeded(stage, config, region);
  const hint =
    `pass --param="${INBOX_STREAMS_PARAM}=${needed.map((z) => `${z}=<LatestStreamArn of ${zoneTableName(stage, z, 'inbox')} in ${region}>`).join(';')}" ` +
    '(scripts/deploy.sh looks them up after the owning stacks are deployed; scripts/package-all.ts passes offline placeholders)';
  for (const zone of passed.keys()) {
    if (!needed.includes(zone))
      throw new Error(
        `${region} of stage ${stage} needs no stream ARN for zone ${zone} (it needs: ${needed.join(', ') || 'none'}); ${hint}`,
      );
  }
  return tablesOfRegion(stage, config, region)
    .filter((table) => table.logical === 'inbox')
    .map((table) => {
      const zone = table.zone ?? '';
      if (table.owned) return { zone, owned: true, arn: { 'Fn::GetAtt': [tableLogicalId(table), 'StreamArn'] } };
      const arn = passed.get(zone);
      if (!arn || !streamPattern(stage, region, zone).test(arn))
        throw new Error(
          `route in ${region} reads the ${zone} inbox, which another region's stack owns, so it needs that replica's stream ARN: ${hint}. Got for ${zone}: ${arn ?? '(none)'}`,
        );
      return { zone, owned: false, arn };
    });
};
