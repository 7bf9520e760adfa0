import { z } from 'zod';

/** Cohort dimensions a plan may name: the canonical columns that describe who logged in where. */
export const DIMENSIONS = ['tenant', 'idp', 'app', 'region'] as const;
/** A cohort dimension. */
export type Dimension = (typeof DIMENSIONS)[number];

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected an ISO-8601 date or time')
  .refine((text) => !Number.isNaN(Date.parse(normaliseInstant(text))), 'not a valid date');

/** `2026-10-01` → `2026-10-01T00:00:00Z`; a time without zone is read as UTC. */
export function normaliseInstant(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00Z`;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return text.replace(' ', 'T');
  return `${text.replace(' ', 'T')}Z`;
}

const metricName = z
  .string()
  .regex(
    /^(success_rate|mfa_rate|shadow_mismatch_rate|latency_p(50|90|95|99)|error_rate:[^\s]+)$/,
    'expected success_rate, latency_p50|p90|p95|p99, mfa_rate, shadow_mismatch_rate or error_rate:<code>',
  );

const metric = z
  .object({
    name: metricName.describe('The metric: success_rate, latency_p95, mfa_rate, shadow_mismatch_rate, error_rate:<code>.'),
    tolerance: z
      .number()
      .positive()
      .describe(
        'The regression the team tolerates: absolute for rates (0.005 = 0.5 percentage points), relative for latency quantiles (0.1 = +10%); for shadow_mismatch_rate, the tolerated mismatch rate (noise floor).',
      ),
    direction: z
      .enum(['higher_is_better', 'lower_is_better'])
      .optional()
      .describe('Which way is better; defaults: success_rate higher, everything else lower.'),
  })
  .strict();

const stage = z
  .object({
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" and "-"'),
    start: instant,
    end: instant,
    share: z.number().gt(0).lte(1).describe('Share of routing units sent to the candidate provider.'),
    unit: z.enum(['user', 'tenant']).default('user').describe('What the router hashes: users or whole tenants.'),
  })
  .strict();

/** The zod schema of a rollout plan file; `docs/plan.schema.json` is generated from it. */
export const PlanSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).describe('A name for the migration, shown in reports.'),
    providers: z
      .object({
        legacy: z.string().min(1).describe('The `provider` value of the provider being left.'),
        candidate: z.string().min(1).describe('The `provider` value of the provider being adopted.'),
      })
      .strict(),
    dimensions: z
      .array(z.array(z.enum(DIMENSIONS)).min(1).max(3))
      .min(1)
      .describe('Cohort dimension sets to baseline and evaluate, e.g. [["tenant"], ["idp"], ["tenant", "idp"]].'),
    metrics: z.array(metric).min(1),
    baseline: z.object({ start: instant, end: instant }).strict().describe('Historical period the baselines learn from.'),
    stages: z.array(stage).min(1),
    alpha: z.number().gt(0).lt(0.5).default(0.05).describe('False-alarm level per evaluation (FDR level across cohorts).'),
    power: z.number().gt(0.5).lt(1).default(0.8).describe('Target power for stage planning.'),
    post_rollout: z
      .object({
        start: instant.optional().describe('Defaults to the end of the last stage.'),
        end: instant,
        holdback_share: z.number().gte(0).lt(0.5).default(0).describe('Share of units kept on the legacy provider.'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A plan as written in the file (before defaults). */
export type PlanInput = z.input<typeof PlanSchema>;
/** A plan after validation, defaults filled in. */
export type PlanFile = z.output<typeof PlanSchema>;
