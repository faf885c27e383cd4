/**
 * The stratum-only mode's interactive console (docs/stratum.md section 7), one
 * command per line, whitespace-split. Returns the text to print.
 */
import { ProsperError } from '../errors.js';
import type { StratumAdmin } from './admin.js';

export const CONSOLE_HELP = [
  'Commands:',
  '  listclients | listminers                     session ids of connected miners',
  '  clients                                      one line per session with details',
  '  getversion <session>                         ask a miner for its version',
  '  showmessage <session> <words...>             show a message on a miner',
  '  notify <session> <jobid> <oprhash>           send one miner a job',
  '  setjob <jobid> <oprhash>                     make a job current and send it to all',
  '  settarget <session> <targethex>              set a miner\'s target',
  '  reconnect <session> <host> <port> [wait]     ask a miner to reconnect elsewhere',
  '  stopmining <session>                         pause a miner until the next job',
  '  setnonce <session> <nonce>                   send mining.set_nonce (decimal)',
  '  kick <session>                               close a session',
  '  stats                                        counters',
  '  help',
].join('\n');

export function runConsoleCommand(server: StratumAdmin, line: string): string {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  const [cmd, ...args] = words;
  if (!cmd) return '';
  const need = (n: number, usage: string) => {
    if (args.length < n) throw new ProsperError('PROSPER_E_STRATUM_CONSOLE', `usage: ${usage}`);
  };
  const sent = (ok: boolean, sid: string) => (ok ? 'sent' : `no session ${sid}`);
  try {
    switch (cmd) {
      case 'listclients':
      case 'listminers':
        return server.listSessions().map((s) => s.sessionId).join(', ');
      case 'clients':
        return server
          .listSessions()
          .map((s) => `${s.sessionId} ${s.ip} nonce=${s.nonce} ${s.username || '-'},${s.minerId || '-'} agent=${s.agent || '-'} target=${s.target} accepted=${s.accepted} rejected=${s.rejected}`)
          .join('\n');
      case 'getversion':
        need(1, 'getversion <session>');
        return sent(server.sendToSession(args[0]!, 'client.get_version'), args[0]!);
      case 'showmessage':
        need(2, 'showmessage <session> <words...>');
        return sent(server.sendToSession(args[0]!, 'client.show_message', [args.slice(1).join(' ')]), args[0]!);
      case 'notify':
        need(3, 'notify <session> <jobid> <oprhash>');
        checkJob(args[1]!, args[2]!);
        return sent(server.sendToSession(args[0]!, 'mining.notify', [args[1]!, args[2]!.toLowerCase(), '']), args[0]!);
      case 'setjob': {
        need(2, 'setjob <jobid> <oprhash>');
        checkJob(args[0]!, args[1]!);
        const r = server.setJob({ id: Number(args[0]), oprHash: Buffer.from(args[1]!, 'hex') });
        return `job ${args[0]} sent to ${r.sent} sessions (${r.skipped} skipped, ${r.dropped} dropped) in ${r.ms.toFixed(1)} ms`;
      }
      case 'settarget':
        need(2, 'settarget <session> <targethex>');
        return sent(server.sendToSession(args[0]!, 'mining.set_target', [args[1]!.replace(/^0x/, '').toLowerCase()]), args[0]!);
      case 'reconnect':
        need(3, 'reconnect <session> <host> <port> [wait]');
        return sent(server.sendToSession(args[0]!, 'client.reconnect', [args[1]!, args[2]!, args[3] ?? '0']), args[0]!);
      case 'stopmining':
        need(1, 'stopmining <session>');
        return sent(server.sendToSession(args[0]!, 'mining.stop_mining'), args[0]!);
      case 'setnonce':
        need(2, 'setnonce <session> <nonce>');
        if (!/^\d+$/.test(args[1]!) || Number(args[1]) > 0xffffffff) throw new ProsperError('PROSPER_E_STRATUM_CONSOLE', 'nonce must be a decimal uint32');
        return sent(server.sendToSession(args[0]!, 'mining.set_nonce', [args[1]!]), args[0]!);
      case 'kick':
        need(1, 'kick <session>');
        return server.kick(args[0]!) ? 'closed' : `no session ${args[0]}`;
      case 'stats':
        return Object.entries({ sessions: server.sessionCount, ...server.counters, minTarget: server.minimumTarget.toString(16) })
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
      case 'help':
        return CONSOLE_HELP;
      default:
        return `Server command not supported: ${cmd}`;
    }
  } catch (err) {
    return err instanceof ProsperError ? err.message : `error: ${(err as Error).message}`;
  }
}

function checkJob(jobId: string, oprHash: string): void {
  if (!/^\d{1,10}$/.test(jobId)) throw new ProsperError('PROSPER_E_STRATUM_CONSOLE', 'job id must be a decimal height');
  if (!/^[0-9a-fA-F]{64}$/.test(oprHash)) throw new ProsperError('PROSPER_E_STRATUM_CONSOLE', 'OPR hash must be 64 hex characters');
}
