import type { RegisterCommand } from '../context.js';
import { registerBaseline } from './baseline.js';
import { registerDecide, registerDecisions } from './decide.js';
import { registerEvaluate } from './evaluate.js';
import { registerIngest } from './ingest.js';
import { registerInit } from './init.js';
import { registerPlan } from './plan.js';
import { registerPostRollout } from './post-rollout.js';
import { registerReport } from './report.js';
import { registerShadow } from './shadow.js';
import { registerSimulate } from './simulate.js';
import { registerStatus } from './status.js';

/** Every subcommand, in the order `stagewise --help` lists them (the order a rollout uses them). */
export const COMMANDS: readonly RegisterCommand[] = [
  registerSimulate,
  registerIngest,
  registerStatus,
  registerInit,
  registerBaseline,
  registerPlan,
  registerEvaluate,
  registerShadow,
  registerDecide,
  registerDecisions,
  registerReport,
  registerPostRollout,
];
