import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Debian package that provides each program the test cluster needs. */
const PROGRAMS: [program: string, pkg: string][] = [
  ['munged', 'munge'],
  ['slurmctld', 'slurmctld'],
  ['slurmd', 'slurmd'],
  ['sbatch', 'slurm-client'],
  ['squeue', 'slurm-client'],
  ['scontrol', 'slurm-client'],
  ['scancel', 'slurm-client'],
  ['sinfo', 'slurm-client'],
];
// The daemons live in /usr/sbin, which a non-login root shell may not have on PATH.
const SEARCH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin'];
const which = (program: string, dirs = SEARCH) => dirs.map((d) => path.join(d, program)).find((f) => fs.existsSync(f)) ?? null;

/** Debian packages whose programs are missing from `dirs`, in install order (empty when all are there). */
export function missingSlurmPackages(dirs = SEARCH): string[] {
  return [...new Set(PROGRAMS.filter(([program]) => !which(program, dirs)).map(([, pkg]) => pkg))];
}

export interface LocalSlurm {
  dir: string;
  /** SLURM_CONF for clients (sbatch, squeue, ...) talking to this cluster. */
  env: Record<string, string>;
  logs(): string;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

async function until(what: string, timeoutMs: number, check: () => boolean, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`local Slurm: ${what} did not happen within ${timeoutMs / 1000}s\n${logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * cred_expire (default 120 s) is also how long a requeued job waits before it may start again: the node
 * refuses to launch it while the revoked credential of its previous incarnation is remembered.
 */
function slurmConf(dir: string, host: string, ports: [number, number], mungeSocket: string): string {
  const cpus = os.availableParallelism();
  const memory = Math.max(512, Math.floor(os.totalmem() / 2 ** 20 / 2));
  return `ClusterName=unpooltest
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=${mungeSocket},cred_expire=10
CredType=cred/munge
MpiDefault=none
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/ctld.pid
SlurmdPidFile=${dir}/d.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldLogFile=${dir}/ctld.log
SlurmdLogFile=${dir}/d.log
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memory} State=UNKNOWN
PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP
`;
}

/**
 * Starts a one-node Slurm cluster as root from a temporary folder (its own munge key and socket, its own
 * ports), waits for the node to be idle, and returns how to reach and stop it. Stopping cancels every job,
 * then ends the three daemons it started; an exit handler kills them if the test process dies first.
 */
export async function startLocalSlurm(): Promise<LocalSlurm> {
  const missing = missingSlurmPackages();
  if (missing.length) {
    throw new Error(`the Slurm test needs the Debian package(s) ${missing.join(' ')}: run \`bash scripts/setup.sh --test\` as root (it installs them), or apt-get install -y ${missing.join(' ')}`);
  }
  if (process.getuid?.() !== 0) throw new Error('the Slurm test starts slurmctld and slurmd (SlurmUser=root) and must run as root, as CI does');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unpool-slurm-'));
  // munged wants every user able to reach its socket's folder.
  fs.chmodSync(dir, 0o755);
  for (const sub of ['state', 'spool']) fs.mkdirSync(path.join(dir, sub));
  const key = path.join(dir, 'munge.key');
  fs.writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const socket = path.join(dir, 'munge.sock');
  const host = os.hostname();
  const conf = path.join(dir, 'slurm.conf');
  fs.writeFileSync(conf, slurmConf(dir, host, [await freePort(), await freePort()], socket));
  const env = { SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const logs = () =>
    ['munged.out', 'ctld.log', 'd.log', 'ctld.out', 'd.out']
      .map((f) => path.join(dir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => `--- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-25).join('\n')}`)
      .join('\n');
  const start = (program: string, args: string[], out: string) => {
    const fd = fs.openSync(path.join(dir, out), 'a');
    const child = spawn(which(program)!, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
    fs.closeSync(fd);
    daemons.push(child);
  };
  const killAll = () => daemons.forEach((d) => d.exitCode === null && d.signalCode === null && d.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async () => {
    const client = (program: string, args: string[]) => spawnSync(which(program)!, args, { encoding: 'utf8', env: { ...process.env, ...env } });
    const queued = () => client('squeue', ['--noheader', '--format=%i']).stdout?.trim() ?? '';
    if (queued()) {
      client('scancel', ['--full', ...queued().split(/\s+/)]);
      await until('cancelling the jobs', 60_000, () => !queued(), logs).catch(() => undefined);
    }
    // Reverse order: slurmd, slurmctld, then munged.
    for (const d of [...daemons].reverse()) {
      if (d.exitCode !== null || d.signalCode !== null) continue;
      const exited = new Promise((r) => d.once('exit', r));
      d.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
    }
    process.removeListener('exit', killAll);
  };
  try {
    start('munged', ['--foreground', '--force', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${dir}/munged.pid`, `--seed-file=${dir}/munged.seed`, `--log-file=${dir}/munged.log`], 'munged.out');
    await until('munged creating its socket', 15_000, () => fs.existsSync(socket), logs);
    start('slurmctld', ['-D', '-f', conf], 'ctld.out');
    start('slurmd', ['-D', '-f', conf, '-N', host], 'd.out');
    const idle = () => spawnSync(which('sinfo')!, ['--noheader', '--Node', '--format=%T'], { encoding: 'utf8', env: { ...process.env, ...env } }).stdout?.trim() === 'idle';
    await until('the node becoming idle', 90_000, idle, logs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, env, logs, stop };
}
