import type { RegisterCommand } from '../context.js';
import { registerDecide, registerDecisions } from './decide.js';

/** Every subcommand, in the order `stagewise --help` lists them (the order a rollout uses them). */
export const COMMANDS: readonly RegisterCommand[] = [
  registerDecide,
  registerDecisions,
];
