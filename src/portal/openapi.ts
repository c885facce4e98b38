/** The OpenAPI 3 description of the portal API, served at /api/openapi.json. */
import { claimSchema } from '../policy/schema-tree.js';
import { CLAIM_TYPES } from './body.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const claimBody = {
  required: true,
  description: 'One DisasterRecovery claim as YAML or JSON text (at most 256 KiB).',
  content: Object.fromEntries(CLAIM_TYPES.map((type) => [type, { schema: ref('Claim') }])),
};
const invalid = { description: 'The claim is not valid', content: json(ref('Invalid')) };
const common = {
  '400': error('Bad request'),
  '403': error('Sent by a page of another site (Origin / Sec-Fetch-Site)'),
  '413': error('Body too large'),
  '415': error('Unsupported content type'),
};
const analysis = (summary: string, schema: object) => ({
  summary,
  requestBody: claimBody,
  responses: { '200': { description: 'OK', content: json(schema) }, '422': invalid, ...common },
});
const bearer = [{ bearer: [] }];

/** The OpenAPI document (claim schema included from src/policy/schema-tree). */
export function openApiDocument(): object {
  return {
    openapi: '3.0.3',
    info: {
      title: 'drplane portal API',
      version: '0.1.0',
      description:
        'Validate, plan, estimate and commit DisasterRecovery claims; fail over through git. Writes (POST /api/claims, failover) need Authorization: Bearer <DRPLANE_PORTAL_TOKEN>; a portal without a token refuses them (403) unless started with DRPLANE_PORTAL_ALLOW_UNAUTHENTICATED_WRITES=1. Requests other than GET from a page of another site are refused (403); another method on a path is a 405.',
    },
    paths: {
      '/api/validate': {
        post: {
          summary: 'Validate a claim (schema and policy rules, as drctl validate)',
          requestBody: claimBody,
          responses: {
            '200': {
              description: 'Validation result',
              content: json({
                type: 'object',
                required: ['valid', 'problems'],
                properties: { valid: { type: 'boolean' }, problems: { type: 'array', items: ref('Problem') } },
              }),
            },
            ...common,
          },
        },
      },
      '/api/plan': { post: analysis('Resources the claim becomes, and counts of kinds per region', ref('Plan')) },
      '/api/cost': {
        post: analysis('Monthly cost estimate (list prices, default assumptions)', {
          type: 'object',
          description: 'CostEstimate: totalMonthlyUsd, regions, global, assumptions, priceTableDate, notes',
        }),
      },
      '/api/objectives': {
        post: analysis('RPO and RTO the estate delivers, against spec.objectives', {
          type: 'object',
          description: 'ObjectivesEstimate: rpoSeconds, rtoMinutes, typical, met, rpo, rto, stores, steps, advice',
        }),
      },
      '/api/claims': {
        get: {
          summary: 'Claims under claims/ in the HEAD commit (status "in git")',
          responses: {
            '200': {
              description: 'OK',
              content: json({
                type: 'object',
                properties: { claims: { type: 'array', items: ref('StoredClaim') }, source: { type: 'string' } },
              }),
            },
          },
        },
        post: {
          summary:
            'Commit the claim as claims/<namespace>/<name>.yaml on a new branch (the checked-out branch and work tree are untouched)',
          security: bearer,
          requestBody: claimBody,
          responses: {
            '201': {
              description: 'Committed',
              content: json({
                type: 'object',
                required: ['branch', 'commit', 'path'],
                properties: { branch: { type: 'string' }, commit: { type: 'string' }, path: { type: 'string' } },
              }),
            },
            ...common,
            '401': error('Token missing or wrong'),
            '403': error('Another site, or the portal takes no writes (no token, no opt-in)'),
            '422': invalid,
          },
        },
      },
      '/api/claims/{namespace}/{name}/failover': {
        post: {
          summary: 'Fail over: commit spec.activeRegion in the claim file (same GitOps path as drctl failover)',
          security: bearer,
          parameters: ['namespace', 'name'].map((n) => ({
            name: n,
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' },
          })),
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              required: ['to', 'reason'],
              properties: {
                to: { type: 'string' },
                reason: { type: 'string' },
                unplanned: { type: 'boolean', default: false },
                yes: { type: 'boolean', description: 'Confirms an unplanned failover' },
              },
            }),
          },
          responses: {
            '200': {
              description: 'Committed',
              content: json({
                type: 'object',
                properties: {
                  from: { type: 'string' },
                  to: { type: 'string' },
                  commit: { type: 'string' },
                  path: { type: 'string' },
                  message: { type: 'string' },
                  branch: {
                    type: 'string',
                    description:
                      'With DRPLANE_PORTAL_FAILOVER_MODE=pull-request: the branch the commit was pushed to; the failover applies once it is merged',
                  },
                },
              }),
            },
            ...common,
            '401': error('Token missing or wrong'),
            '403': error('Another site, or the portal takes no writes (no token, no opt-in)'),
            '404': error('No such claim'),
            '409': error('Refused (same region, dirty work tree, …)'),
          },
        },
      },
      '/api/schema': {
        get: {
          summary: 'The claim schema and the AWS regions (the page builds its form from it)',
          responses: { '200': { description: 'OK' } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Claim: claimSchema(),
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, field: { type: 'string' } } },
        Problem: {
          type: 'object',
          required: ['path', 'message', 'ruleId', 'severity'],
          properties: {
            path: { type: 'string' },
            message: { type: 'string' },
            ruleId: { type: 'string' },
            severity: { type: 'string', enum: ['error', 'warning'] },
            line: { type: 'integer' },
            column: { type: 'integer' },
            fix: {
              type: 'object',
              description: 'The change the message proposes: write value at path (relative to the claim), or remove the field',
              required: ['path'],
              properties: { path: { type: 'string' }, value: {}, remove: { type: 'boolean', enum: [true] } },
            },
          },
        },
        Invalid: {
          type: 'object',
          properties: { error: { type: 'string' }, problems: { type: 'array', items: ref('Problem') } },
        },
        Plan: {
          type: 'object',
          properties: {
            resources: { type: 'array', items: { type: 'object', description: 'A Kubernetes manifest' } },
            summary: {
              type: 'object',
              properties: {
                total: { type: 'integer' },
                byRegion: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
              },
            },
          },
        },
        StoredClaim: {
          type: 'object',
          properties: {
            path: { type: 'string' },
            namespace: { type: 'string' },
            name: { type: 'string' },
            primary: { type: 'string' },
            secondaries: { type: 'array', items: { type: 'string' } },
            activeRegion: { type: 'string' },
            environment: { type: 'string' },
            status: { type: 'string', enum: ['in git'] },
          },
        },
      },
    },
  };
}
