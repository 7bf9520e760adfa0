import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, FORMATS } from '../../../src/ingest/formats/index.js';
import { readSample } from '../../../src/ingest/read-sample.js';
import { fixture, haveRealSamples, realSample } from './staged-rows.js';

/** The names of every format whose detect() accepts the file. */
async function accepting(file: string): Promise<string[]> {
  const sample = await readSample(file);
  return FORMATS.filter((format) => format.detect(sample)).map((format) => format.name);
}

describe('detect (vendor formats)', () => {
  it.each([
    ['okta/panther_okta_systemlog_tests.jsonl', 'okta'],
    ['okta/grafana_okta-logs-collector_testdata_response.json', 'okta'],
    ['okta/handmade_edge-cases.jsonl', 'okta'],
    ['auth0/panther_auth0_events_tests.jsonl', 'auth0'],
    ['auth0/handmade_log-stream-batch.json', 'auth0'],
    ['entra/msticpy_aad_logons_SigninLogs.jsonl', 'entra'],
    ['entra/msticpy_aad_logons_SigninLogs.csv', 'entra'],
    ['entra/panther_azure_signinlogs_tests.jsonl', 'entra'],
    ['entra/handmade_graph-signins-page.json', 'entra'],
    ['entra/handmade_event-hub-records.json', 'entra'],
    ['cloudtrail/panther_cloudtrail_signin_tests.jsonl', 'cloudtrail'],
    ['cloudtrail/handmade_s3-records.json', 'cloudtrail'],
    ['google-workspace/panther_gsuite_login_tests.jsonl', 'google_workspace'],
    ['google-workspace/handmade_reports-activities-page.json', 'google_workspace'],
    ['keycloak/handmade_server.log', 'keycloak'],
  ])('accepts %s as %s and no other format', async (path, name) => {
    expect(await accepting(fixture(path))).toEqual([name]);
  });
});

/** The format each folder of the shared samples holds; the bonus folders (onelogin, duo, …) hold none we read. */
const FOLDER_FORMAT: Readonly<Record<string, string | undefined>> = {
  okta: 'okta', auth0: 'auth0', entra_signin: 'entra', aws_cloudtrail: 'cloudtrail',
  google_workspace: 'google_workspace', keycloak: 'keycloak',
};

describe.runIf(haveRealSamples)('detectFormat on every shared real sample', () => {
  const files = haveRealSamples
    ? readdirSync(realSample('.'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((dir) =>
        readdirSync(realSample(dir.name), { withFileTypes: true })
          .filter((entry) => entry.isFile() && /\.(jsonl|json|log|csv)$/.test(entry.name) && !entry.name.endsWith('.provenance.csv'))
          .map((entry) => [`${dir.name}/${entry.name}`, FOLDER_FORMAT[dir.name] ?? 'none'] as const))
    : [];

  it('finds the samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it.each(files)('picks %s as %s', async (path, name) => {
    const names = await accepting(realSample(path));
    expect(names).toEqual(name === 'none' ? [] : [name]);
    expect(detectFormat(await readSample(realSample(path)))?.name ?? 'none').toBe(name);
  });
});
