import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export const DRILL_FIGURES_PATH = '.local/drill-figures.json';

/**
 * Prints a drill's figures and records them under `drill` in .local/drill-figures.json, keeping
 * the other drills' entries (the drills run as separate files, possibly in parallel workers).
 */
export const recordDrillFigures = (drill: string, figures: Record<string, unknown>): void => {
  console.log(`drill figures (${drill}): ${JSON.stringify(figures)}`);
  mkdirSync('.local', { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    if (existsSync(DRILL_FIGURES_PATH)) all = JSON.parse(readFileSync(DRILL_FIGURES_PATH, 'utf8')) as typeof all;
  } catch {
    // A half-written file from an interrupted run is replaced.
  }
  all[drill] = { ...figures, recordedAt: new Date().toISOString() };
  writeFileSync(DRILL_FIGURES_PATH, `${JSON.stringify(all, null, 2)}\n`);
};

/** Milliseconds from one instant to another (negative when it came first), or null when it never happened. */
export const elapsed = (from: number, to: number | undefined): number | null =>
  to === undefined || !Number.isFinite(to) ? null : Math.round(to - from);
