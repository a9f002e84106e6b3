#!/usr/bin/env node
'use strict';
/* global require, __filename -- npm runs bin files as CommonJS scripts. */
/* eslint-disable @typescript-eslint/no-require-imports */
// Runs the TypeScript CLI through tsx, so `npx switchyard` needs no build step.
const { require: requireTs } = require('tsx/cjs/api');

requireTs('../cli/main.ts', __filename).runMain();
