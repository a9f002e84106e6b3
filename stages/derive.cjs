'use strict';
/* global module, require, process, __filename -- serverless loads variable files with require(); CommonJS is the format it accepts. */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * serverless `${file(./stages/derive.cjs)}` entry point. The derivations are TypeScript
 * (stages/lib/derive-stage.ts), shared with the local cloud; tsx loads them here without a build step.
 */
const { require: requireTs } = require('tsx/cjs/api');

const cache = new Map();

/** Resolves stage, region and params, then memoizes the derivation per stage/region. */
module.exports = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  const region = await resolveVariable('self:provider.region');
  const key = `${stage}/${region}`;
  if (!cache.has(key)) {
    const config = await resolveVariable('self:custom.stage');
    // zone=arn;zone=arn: the inbox streams of zones another region's stack owns (docs/decisions/015).
    const inboxStreams = await resolveVariable('param:inboxStreams, null');
    // `serverless invoke local` maps no stream, so it needs no stream ARN (placeholders stand in).
    const [command, subcommand] = process.argv.slice(2);
    const offlineStreams = command === 'invoke' && subcommand === 'local';
    const { deriveStage } = requireTs('./lib/derive-stage.ts', __filename);
    cache.set(key, deriveStage(stage, region, config, inboxStreams, { offlineStreams }));
  }
  return cache.get(key);
};
