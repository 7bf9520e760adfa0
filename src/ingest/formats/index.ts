import type { FormatName, FormatSample, LoginFormat } from '../format.js';
import { canonical } from './canonical.js';
import { okta } from './okta.js';
import { auth0 } from './auth0.js';
import { entra } from './entra.js';
import { cloudtrail } from './cloudtrail.js';
import { googleWorkspace } from './google-workspace.js';
import { keycloak } from './keycloak.js';

/** Every format `stagewise ingest` reads; `--format auto` tries them in this order. */
export const FORMATS: readonly LoginFormat[] = [canonical, okta, auth0, entra, cloudtrail, googleWorkspace, keycloak];

/** The first format whose `detect` accepts the sample, or undefined when none does. */
export function detectFormat(sample: FormatSample): LoginFormat | undefined {
  return FORMATS.find(format => format.detect(sample));
}

/** The format called `name`, or undefined when none is registered under it. */
export function formatNamed(name: string): LoginFormat | undefined {
  return FORMATS.find(format => format.name === name);
}

export type { FormatName };
