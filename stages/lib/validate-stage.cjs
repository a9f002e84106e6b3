'use strict';
/* global module -- serverless loads variable files with require(); CommonJS is the format it accepts. */
/**
 * Checks a stage file (stages/<stage>.yml) before anything is packaged, so a typo fails in a
 * second with the field's name instead of in CloudFormation twenty minutes later.
 */

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PRINCIPAL =
  /^arn:(aws[\w-]*|\$\{AWS::Partition\}):iam::(\d{12}|\$\{AWS::AccountId\}):(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;
const BUS_NAME = /^[\w.-]{1,256}$/;

class StageConfigError extends Error {
  constructor(stage, field, problem) {
    super(
      `stages/${stage}.yml: ${field} ${problem}. Fix the stage file (see docs/deploy.md, "Stage files") and package again.`,
    );
    this.name = 'StageConfigError';
  }
}

const requireList = (stage, config, field, pattern) => {
  const value = config[field];
  if (!Array.isArray(value) || value.length === 0) throw new StageConfigError(stage, field, 'must be a non-empty list');
  const bad = value.find((item) => typeof item !== 'string' || !pattern.test(item));
  if (bad !== undefined) throw new StageConfigError(stage, field, `has an invalid entry "${bad}"`);
  return value;
};

const requireInteger = (stage, config, path, min, max) => {
  const value = path
    .split('.')
    .reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), config);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new StageConfigError(stage, path, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
};

const validateZones = (stage, config) => {
  const zones = config.residencyZones;
  if (!zones || typeof zones !== 'object' || Object.keys(zones).length === 0)
    throw new StageConfigError(stage, 'residencyZones', 'must map at least one zone to its regions');
  for (const [zone, regions] of Object.entries(zones)) {
    if (!Array.isArray(regions) || regions.length === 0)
      throw new StageConfigError(stage, `residencyZones.${zone}`, 'must list at least one region');
    const outside = regions.find((region) => !config.regions.includes(region));
    if (outside)
      throw new StageConfigError(stage, `residencyZones.${zone}`, `names ${outside}, which is not in regions`);
  }
  const uncovered = config.regions.find((region) => !Object.values(zones).some((list) => list.includes(region)));
  if (uncovered)
    throw new StageConfigError(
      stage,
      'residencyZones',
      `leaves ${uncovered} in no zone, so no event could ever be routed there`,
    );
};

/** Validates a parsed stage file; returns it unchanged or throws StageConfigError. */
const validateStage = (stage, config) => {
  if (!config || typeof config !== 'object')
    throw new StageConfigError(stage, '(file)', 'is missing or empty; create it from stages/prod.yml');
  const regions = requireList(stage, config, 'regions', REGION);
  if (new Set(regions).size !== regions.length) throw new StageConfigError(stage, 'regions', 'lists a region twice');
  if (!regions.includes(config.primaryRegion))
    throw new StageConfigError(stage, 'primaryRegion', `must be one of regions (${regions.join(', ')})`);
  validateZones(stage, config);
  requireInteger(stage, config, 'retentionDays', 1, 3650);
  requireInteger(stage, config, 'logRetentionDays', 1, 3653);
  if (typeof config.deletionProtection !== 'boolean')
    throw new StageConfigError(stage, 'deletionProtection', 'must be true or false');
  requireList(stage, config, 'targetBuses', BUS_NAME);
  requireList(stage, config, 'publishers', PRINCIPAL);
  requireList(stage, config, 'adminInvokers', PRINCIPAL);
  requireInteger(stage, config, 'limits.maxEventBytes', 1024, 1048576);
  requireInteger(stage, config, 'limits.routesCacheTtlSeconds', 0, 3600);
  for (const field of [
    'periodSeconds',
    'evaluationPeriods',
    'iteratorAgeMs',
    'dlqDepth',
    'parkedDeliveries',
    'errors',
    'throttles',
  ]) {
    requireInteger(stage, config, `alarms.${field}`, 1, 86_400_000);
  }
  if (config.alarms.periodSeconds % 60 !== 0)
    throw new StageConfigError(stage, 'alarms.periodSeconds', 'must be a multiple of 60');
  return config;
};

module.exports = { validateStage, StageConfigError };
