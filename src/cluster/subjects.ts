import { ProsperError } from '../errors.js';

/**
 * Every NATS name the cluster link uses, derived from one prefix so that several pools (or
 * parallel test runs) can share a NATS server without seeing each other's traffic.
 */
export interface ClusterNames {
  prefix: string;
  /** Coordinator -> edges: the current job (also kept, last one only, in `jobsStream`). */
  jobsSubject: string;
  jobsStream: string;
  /** Edges -> coordinator: accepted shares, one subject per edge under `sharesWildcard`. */
  sharesSubject(edgeId: string): string;
  sharesWildcard: string;
  sharesStream: string;
  /** Shares the coordinator could not decode or credit, kept for an operator to inspect. */
  deadSubject: string;
  deadStream: string;
  /** Edges -> coordinator: health and load reports. */
  healthSubject(edgeId: string): string;
  healthWildcard: string;
  /** Edges -> coordinator (request/reply): a miner's mining.authorize, answered from the user store. */
  authSubject: string;
  /** Coordinator -> one edge (request/reply): its open sessions and bans, for the admin page. */
  liveSubject(edgeId: string): string;
}

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** An edge id or prefix becomes a NATS subject token and part of a stream name: keep it plain. */
export function checkToken(what: string, value: string): string {
  if (!TOKEN.test(value)) throw new ProsperError('PROSPER_E_CLUSTER_NAME', `${what} must be 1-64 of [A-Za-z0-9_-], got ${JSON.stringify(value)}`);
  return value;
}

export function clusterNames(prefix = 'prosper'): ClusterNames {
  checkToken('cluster prefix', prefix);
  const upper = prefix.toUpperCase();
  return {
    prefix,
    jobsSubject: `${prefix}.jobs`,
    jobsStream: `${upper}_JOBS`,
    sharesSubject: (edgeId) => `${prefix}.shares.${checkToken('edge id', edgeId)}`,
    sharesWildcard: `${prefix}.shares.*`,
    sharesStream: `${upper}_SHARES`,
    deadSubject: `${prefix}.dead.shares`,
    deadStream: `${upper}_DEAD`,
    healthSubject: (edgeId) => `${prefix}.health.${checkToken('edge id', edgeId)}`,
    healthWildcard: `${prefix}.health.*`,
    authSubject: `${prefix}.auth`,
    liveSubject: (edgeId) => `${prefix}.live.${checkToken('edge id', edgeId)}`,
  };
}
