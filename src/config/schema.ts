import { KERNEL_NAMES } from '../lxr/kernel-names.js';

/**
 * Every key of prosper-pool.toml: its section, type, default and the sentence the example
 * config prints above it. Keys are case-insensitive, as in the original (viper). Areas that own
 * free-form sections (oracle keys, datasource priorities) get them as plain maps and validate
 * them themselves.
 */
export type KeyType = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'decimal';

export interface KeySpec {
  type: KeyType;
  default: string | number | boolean;
  doc: string;
  /** Inclusive bounds for numbers and durations (seconds). */
  min?: number;
  max?: number;
  /** Allowed values for strings. */
  choices?: readonly string[];
  /** A pattern strings must match (whole value). */
  pattern?: RegExp;
}

export type SectionSpec = Record<string, KeySpec>;

export const CONFIG_SCHEMA = {
  app: {
    loglevel: { type: 'string', default: 'info', doc: 'Log level: trace, debug, info, warn, error or fatal (--log overrides).', choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] },
    pidfile: { type: 'string', default: '$HOME/.prosper/prosper-pool.pid', doc: 'Where the running pool writes its process id: `prosper-pool restart` finds it there (systemd PIDFile=).' },
  },
  database: {
    host: { type: 'string', default: '', doc: 'PostgreSQL host. Empty: the embedded PGlite database in datadir (--phost).' },
    port: { type: 'int', default: 5432, doc: 'PostgreSQL port (--pport).', min: 1, max: 65535 },
    dbname: { type: 'string', default: 'postgres', doc: 'PostgreSQL database name.' },
    username: { type: 'string', default: 'postgres', doc: 'PostgreSQL user.' },
    password: { type: 'string', default: '', doc: 'PostgreSQL password.' },
    ssl: { type: 'bool', default: false, doc: 'Connect to PostgreSQL over TLS.' },
    datadir: { type: 'string', default: '$HOME/.prosper/pglite', doc: 'Data directory of the embedded PGlite database.' },
    schema: { type: 'string', default: 'prosper', doc: "PostgreSQL schema the pool's tables live in (several pools can share one database).", pattern: /^[a-z_][a-z0-9_]{0,62}$/ },
  },
  factom: {
    factomdlocation: { type: 'string', default: '', doc: 'factomd v2 API URL, e.g. http://localhost:8088/v2 (--fhost). Empty: run an embedded simulated Factom network (devnet).' },
    timeout: { type: 'duration', default: '10s', doc: 'Timeout of one factomd request.', min: 0.1, max: 600 },
  },
  pegnet: {
    network: { type: 'string', default: 'MainNet', doc: 'PegNet network whose chains are synced: MainNet or TestNet (the devnet uses MainNet chain names with --testing heights).', choices: ['MainNet', 'TestNet'] },
    pollingperiod: { type: 'duration', default: '2s', doc: 'How often factomd is asked for a new block.', min: 0.05, max: 600 },
    retryperiod: { type: 'duration', default: '5s', doc: 'Wait after a failed sync step.', min: 0.05, max: 3600 },
    testing: { type: 'bool', default: false, doc: 'Testing mode: every activation height is `act` (--testing).' },
    act: { type: 'int', default: 0, doc: 'The activation height used in testing mode (--act).', min: 0, max: 4294967295 },
  },
  polling: {
    staleduration: { type: 'duration', default: '30m', doc: 'Prices older than this are refused.', min: 1, max: 86400 },
    cacheduration: { type: 'duration', default: '10s', doc: 'How long one datasource reply is reused.', min: 0, max: 3600 },
    timeout: { type: 'duration', default: '10s', doc: 'Timeout of one datasource request.', min: 0.1, max: 300 },
  },
  pool: {
    poolfeerate: { type: 'decimal', default: '0.05', doc: 'The pool fee as a fraction of each reward (0.05 = 5%).', min: 0, max: 1 },
    opridentity: { type: 'string', default: 'Prosper', doc: "The identity written in the pool's OPRs (letters, digits and commas).", pattern: /^[a-zA-Z0-9,]+$/ },
    oprcoinbase: { type: 'string', default: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', doc: "The FA address that PegNet pays the pool's rewards to. The default is a public test key: replace it." },
    esaddress: { type: 'string', default: 'Es2XT3jSxi1xqrDvS5JERM3W3jh1awRHuyoahn3hbQLyfEi1jvbq', doc: 'The Es (Entry Credit private) address that pays for OPR entries. The default is a public test key: replace it.' },
    ecwarn: { type: 'int', default: 1000, doc: 'Warn when the Entry Credit balance falls below this many EC.', min: 0, max: 1e12 },
    identitykey: { type: 'string', default: '$HOME/.prosper/pool-identity.key', doc: "The pool's ed25519 key file (PKCS#8 PEM) that signs every job's credit root; created on first start. Keep it with the database: miners pin its public key." },
  },
  submit: {
    submissioncutoff: { type: 'int', default: 200, doc: 'The most OPR entries the pool writes per block.', min: 0, max: 100000 },
    'ema-n': { type: 'int', default: 36, doc: 'Blocks in the exponential moving average of the network minimum target.', min: 1, max: 100000 },
    softmax: { type: 'int', default: 25, doc: 'SoftMaxLimit: per job only shares that beat the K-th best so far are submitted (0 disables).', min: 0, max: 10000 },
    minuteguard: { type: 'bool', default: true, doc: 'Hold submissions during minute 0 when factomd reports minutes (entries then land in the next block).' },
  },
  accounting: {
    flushinterval: { type: 'int', default: 20, doc: 'Milliseconds accepted shares wait to be written together (a share is acknowledged once written).', min: 1, max: 5000 },
    spooldir: { type: 'string', default: '$HOME/.prosper/spool', doc: 'Where share credit is kept on disk while the database is unreachable (empty: no spool, an outage fails the shares).' },
    spoolmaxbytes: { type: 'int', default: 268435456, doc: 'Most bytes the spool may hold.', min: 0, max: 1e12 },
    shareretention: { type: 'duration', default: '168h', doc: 'Raw shares older than this are pruned (per-job totals are kept).', min: 3600, max: 31536000 },
    hashratewindow: { type: 'duration', default: '10m', doc: 'Every hashrate the pool shows (API, dashboard, /metrics) is estimated from the accepted shares of this last window.', min: 10, max: 86400 },
    figuresinterval: { type: 'duration', default: '60s', doc: 'How often the hashrate figures are taken again (each surface shows the same snapshot).', min: 0.05, max: 3600 },
    historyinterval: { type: 'duration', default: '60s', doc: 'How often a snapshot of the figures (pool, user and miner hashrate with its band, shares, workers) is kept in the store for the history charts.', min: 1, max: 86400 },
    historyretention: { type: 'duration', default: '720h', doc: 'Hashrate history older than this is pruned (the charts reach back at most 30 days).', min: 3600, max: 31536000 },
    scheme: { type: 'string', default: 'prop', doc: 'Payout scheme from the next settled block: prop (each block over its own shares), pplns (over the last N units of credit) or pps (every share paid at a fixed rate from a reserve).', choices: ['prop', 'pplns', 'pps'] },
    pplnswindow: { type: 'decimal', default: '2.0', doc: "PPLNS window N as a multiple of the pool's average credit per block (at most 4 decimals).", min: 0.0001, max: 1000 },
    ppsfee: { type: 'decimal', default: '0.05', doc: 'The PPS fee: PPS pays (1 - ppsfee) x the expected reward per unit of credit (poolfeerate is the fee of prop and pplns).', min: 0, max: 1 },
    ppswindow: { type: 'int', default: 144, doc: 'Blocks in the moving averages of reward and credit per block behind the PPS rate and the PPLNS window.', min: 1, max: 100000 },
    ppsfloor: { type: 'decimal', default: '0', doc: 'PEG the PPS reserve must keep: a block that would take it lower is paid by PPLNS instead, with a loud warning.', min: 0, max: 1e12 },
    minpayout: { type: 'decimal', default: '1', doc: "The pool's minimum payout in PEG: db payout pays no balance below it, and a user's own threshold may not be lower.", min: 0.00000001, max: 1e12 },
  },
  stratum: {
    requireauth: { type: 'bool', default: true, doc: 'Miners must authorize as registered users (--rauth).' },
    validateallshares: { type: 'bool', default: true, doc: 'Prove every share with LXRHash (false: prove one in [validation] sampling of the shares that cannot be submitted).' },
    stratumport: { type: 'int', default: 1234, doc: 'Stratum TCP port (--sport).', min: 0, max: 65535 },
    tlsport: { type: 'int', default: 1235, doc: 'Stratum over TLS port, beside the plain one; used when tlscert and tlskey are set (--tlsport).', min: 0, max: 65535 },
    tlscert: { type: 'string', default: '', doc: 'PEM certificate (chain) of the TLS port. A renewed file is picked up without dropping sessions (the files are watched).' },
    tlskey: { type: 'string', default: '', doc: 'PEM private key of the TLS port (empty, or tlscert empty: no TLS port).' },
    proxyprotocol: { type: 'string', default: 'off', doc: 'PROXY protocol header (v1 or v2) before Stratum on both ports: off, optional (a header is used when there is one) or required (a connection without one is refused).', choices: ['off', 'optional', 'required'] },
    trustedproxies: { type: 'string', default: '', doc: 'Comma-separated IPs and CIDR blocks (IPv4 or IPv6) allowed to send a PROXY header; one from anywhere else is refused.' },
    host: { type: 'string', default: '0.0.0.0', doc: 'Address the Stratum server listens on.' },
    welcomemessage: { type: 'string', default: 'Welcome to Prosper pool!', doc: 'Sent to every miner after it authorizes (client.show_message).' },
    vardiff: { type: 'bool', default: true, doc: "Retarget each session toward one share per sharetime (false: every session keeps the pool's easiest target or the one it suggested)." },
    sharetime: { type: 'duration', default: '10s', doc: 'The time between shares of one session that vardiff aims for.', min: 0.01, max: 3600 },
    stalegrace: { type: 'duration', default: '30s', doc: 'How long after a new block shares for the previous job are still credited.', min: 0, max: 600 },
    maxconnections: { type: 'int', default: 20000, doc: 'Most Stratum connections at once.', min: 1, max: 1000000 },
    maxconnectionsperip: { type: 'int', default: 256, doc: 'Most Stratum connections from one IP address.', min: 1, max: 1000000 },
    reconnectspread: { type: 'duration', default: '10s', doc: 'At a restart in place (SIGUSR2, `prosper-pool restart`), the old process asks its miners to reconnect (client.reconnect) spread over this time.', min: 0, max: 600 },
  },
  validation: {
    workers: { type: 'int', default: 0, doc: 'Share-validation worker threads (0: one per core minus one, at least 1).', min: 0, max: 1024 },
    kernel: { type: 'string', default: 'auto', doc: `LXRHash kernel: auto (picked by table size) or one of ${KERNEL_NAMES.join(', ')}.`, choices: ['auto', ...KERNEL_NAMES] },
    sampling: { type: 'int', default: 10, doc: 'With [stratum] validateallshares = false: prove one share in this many (shares good enough to submit are always proven).', min: 1, max: 1000000 },
    batchsize: { type: 'int', default: 128, doc: 'Shares per validation batch handed to a worker.', min: 1, max: 65536 },
    batchdelay: { type: 'int', default: 2, doc: 'Milliseconds a partial batch waits for more shares before it is sent.', min: 0, max: 1000 },
    maxpending: { type: 'int', default: 16384, doc: "Shares queued or being proven at most; beyond it miners get a 'busy' answer (and vardiff raises targets).", min: 1, max: 10000000 },
  },
  web: {
    port: { type: 'int', default: 7070, doc: 'Web UI and API port (0 disables the web server).', min: 0, max: 65535 },
    host: { type: 'string', default: '0.0.0.0', doc: 'Address the web server listens on.' },
    sessionsecret: { type: 'string', default: '', doc: 'HMAC key of session cookies, at least 32 characters (or PROSPER_WEB_SECRET). Empty: a random key kept in $HOME/.prosper/web-session-secret.' },
    securecookies: { type: 'bool', default: true, doc: 'Mark the session cookie Secure (browsers still accept it on http://localhost). Turn off only for plain-HTTP development on another host.' },
    sessionttl: { type: 'int', default: 43200, doc: 'Seconds a web session lasts.', min: 60, max: 2592000 },
    loginmaxfailures: { type: 'int', default: 5, doc: 'Wrong passwords allowed per IP and per account within loginwindow, web login and Stratum authorize counted together; beyond it both refuse without checking (429 / ErrorUnauthorized).', min: 1, max: 1000 },
    loginwindow: { type: 'int', default: 900, doc: 'Seconds of the failed-login window.', min: 1, max: 86400 },
    loginhashes: { type: 'int', default: 4, doc: 'Password hashes (scrypt, 32 MiB each) computed at once for logins and authorizations; more wait in a queue served in turn across IPs.', min: 1, max: 256 },
    loginhashesperip: { type: 'int', default: 4, doc: 'Password hashes one IP may have running and queued; beyond it the login is refused at once as busy (503 / ErrorBusy).', min: 1, max: 1024 },
    trustproxy: { type: 'bool', default: false, doc: 'Take the client address from X-Forwarded-For (only behind a trusted reverse proxy).' },
    metricstoken: { type: 'string', default: '', doc: 'When set, /metrics needs `Authorization: Bearer <token>`.' },
    assetsdir: { type: 'string', default: '', doc: 'Directory of the dashboard files (empty: the ones shipped with the pool).' },
  },
  devnet: {
    blocktime: { type: 'duration', default: '30s', doc: 'Block time of the embedded devnet (factomd: 10m).', min: 0.5, max: 3600 },
    port: { type: 'int', default: 8088, doc: 'Port of the embedded devnet factomd API (0: any free port).', min: 0, max: 65535 },
    competitors: { type: 'int', default: 30, doc: 'Simulated competitor OPRs written per devnet block.', min: 0, max: 1000 },
    datadir: { type: 'string', default: '$HOME/.prosper/devnet', doc: 'Where the devnet keeps its chain between runs.' },
    lxrbits: { type: 'int', default: 16, doc: 'LXRHash table size of the embedded pool when it runs a devnet (LXRBITSIZE overrides).', min: 8, max: 30 },
  },
  cluster: {
    role: { type: 'string', default: 'standalone', doc: 'standalone: the whole pool in one process. coordinator: sync, jobs, accounting, submission, store and web, with Stratum on edges. edge: Stratum sessions and share validation, relaying to the coordinator over NATS.', choices: ['standalone', 'coordinator', 'edge'] },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222', doc: 'NATS servers with JetStream (comma-separated URLs) linking the coordinator and its edges.' },
    prefix: { type: 'string', default: 'prosper', doc: 'Prefix of every NATS subject and stream of this pool (several pools can share a NATS cluster).', pattern: /^[A-Za-z0-9_-]{1,64}$/ },
    edgeid: { type: 'string', default: '', doc: 'This edge\'s name, unique in the pool (empty: the host name).', pattern: /^[A-Za-z0-9_-]{0,64}$/ },
    spooldir: { type: 'string', default: '$HOME/.prosper/edge-spool', doc: 'Where an edge keeps accepted shares while NATS is unreachable (replayed when it returns).' },
    spoolmaxbytes: { type: 'int', default: 268435456, doc: "Most bytes an edge's spool may hold; beyond it shares are refused (not acknowledged).", min: 1024, max: 1e12 },
    lxrbits: { type: 'int', default: 30, doc: "An edge's LXRHash table size; it must equal the coordinator's, which each job announces (LXRBITSIZE overrides).", min: 8, max: 30 },
    reportinterval: { type: 'duration', default: '5s', doc: 'How often an edge reports its health and load to the coordinator.', min: 0.1, max: 600 },
    replicas: { type: 'int', default: 1, doc: 'Replicas of the cluster streams in a NATS cluster (1 on a single server; 3 survives a lost server).', min: 1, max: 5 },
    publishtimeout: { type: 'duration', default: '2s', doc: "Longest an edge waits for JetStream to store a share before spooling it.", min: 0.05, max: 60 },
  },
  notify: {
    urls: { type: 'string', default: '', doc: "The operator's webhook endpoints: comma-separated http:// or https:// URLs (empty: no operator webhooks; docs/webhooks.md)." },
    secret: { type: 'string', default: '', doc: 'HMAC-SHA256 key that signs every operator webhook, at least 16 characters when urls is set (or PROSPER_NOTIFY_SECRET).' },
    events: { type: 'string', default: 'block.won,job.settled,payout.recorded,miner.offline,miner.online,ec.low,pool.degraded,pool.recovered', doc: 'Events posted to the operator URLs, comma-separated (the names are in docs/webhooks.md).' },
    retries: { type: 'int', default: 0, doc: 'Failed attempts after which one event is given up for one endpoint (0: retry until it is delivered; only the queue bound then drops events).', min: 0, max: 1000000 },
    backoff: { type: 'duration', default: '1s', doc: 'Wait before the first retry of a failed delivery; it doubles with each failure up to backoffcap.', min: 0.01, max: 3600 },
    backoffcap: { type: 'duration', default: '5m', doc: 'Longest wait between two attempts to deliver to an endpoint that is down.', min: 0.01, max: 86400 },
    timeout: { type: 'duration', default: '10s', doc: 'Longest one POST may take before it counts as failed.', min: 0.1, max: 300 },
    concurrency: { type: 'int', default: 4, doc: 'POSTs in flight at once over all endpoints (each endpoint gets its events one at a time, in order).', min: 1, max: 256 },
    queuemaxbytes: { type: 'int', default: 67108864, doc: 'Most bytes of events waiting on disk for their endpoints; beyond it the oldest is dropped (logged and counted).', min: 4096, max: 1e12 },
    spooldir: { type: 'string', default: '$HOME/.prosper/notify-spool', doc: 'Where events wait on disk for their endpoints (they survive a restart).' },
    logsize: { type: 'int', default: 200, doc: 'Delivery attempts kept for the admin page and API.', min: 1, max: 100000 },
    offlineafter: { type: 'duration', default: '10m', doc: 'A miner that sent no accepted share for this long is announced by miner.offline (miner.online when it sends again).', min: 1, max: 604800 },
    eclow: { type: 'int', default: 1000, doc: 'ec.low is sent when the Entry Credit balance falls below this many EC (once, until it is above again).', min: 0, max: 1e12 },
  },
} as const satisfies Record<string, SectionSpec>;

/** Sections holding operator-chosen keys, checked by their owners (oracle). */
export const FREE_SECTIONS = ['oracle', 'oracledatasources', 'oracleassetdatasourcespriority'] as const;
