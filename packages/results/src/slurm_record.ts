import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { formatZodIssues } from './experiment.js';

/**
 * `runs/<experiment>/slurm/<submitId>/`: what `exp slurm` submitted (the record, the exact batch scripts,
 * the task logs, each task's own runs folder) next to the runs it produced. The folder name is reserved:
 * the run store never takes it for a run.
 */
export const SLURM_FOLDER = 'slurm';

export function slurmSubmissionPaths(runsRoot: string, experiment: string, submitId: string) {
  const dir = path.join(runsRoot, experiment, SLURM_FOLDER, submitId);
  return {
    dir,
    record: path.join(dir, 'submission.json'),
    arrayScript: path.join(dir, 'array.sbatch'),
    followUpScript: path.join(dir, 'followup.sbatch'),
    /** Written by the follow-up job once it has merged the tasks' runs and rendered the report. */
    finished: path.join(dir, 'finished.json'),
    logs: path.join(dir, 'logs'),
    /** Slurm's `%a` is the array task id. */
    taskLogPattern: path.join(dir, 'logs', 'task-%a.log'),
    taskLog: (task: number) => path.join(dir, 'logs', `task-${task}.log`),
    followUpLog: path.join(dir, 'logs', 'followup.log'),
    /** Task i writes its shard's run folders under tasks/<i>/; the follow-up job merges them into the runs root. */
    tasks: path.join(dir, 'tasks'),
    taskRoot: (task: number) => path.join(dir, 'tasks', String(task)),
  };
}

const jobId = z.string().regex(/^\d+$/);

export const slurmSubmissionSchema = z.strictObject({
  version: z.literal(1),
  submitId: z.string(),
  experiment: z.string(),
  preset: z.string(),
  only: z.array(z.string()).nullable(),
  seeds: z.array(z.number().int()).nullable(),
  /** Array task i trains exactly these runs (shard i/n of the grid). */
  shards: z.array(z.strictObject({ task: z.number().int(), runIds: z.array(z.string()) })),
  submittedAt: z.string(),
  user: z.string(),
  host: z.string(),
  /** The checkout the tasks run in (what is checked out there when a task starts is what runs). */
  checkout: z.string(),
  git: z.strictObject({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  /** The `exp slurm` command line, for the record. */
  argv: z.array(z.string()),
  options: z.strictObject({
    partition: z.string().nullable(),
    gpusPerTask: z.string().nullable(),
    cpusPerTask: z.string(),
    time: z.string().nullable(),
    sbatchArgs: z.array(z.string()),
  }),
  runsRoot: z.string(),
  reportOut: z.string().nullable(),
  arrayJobId: jobId.nullable(),
  followUpJobId: jobId.nullable(),
  /** The partition Slurm put the array in (the default one when none was asked for). */
  partition: z.string().nullable(),
});
export type SlurmSubmission = z.infer<typeof slurmSubmissionSchema>;

export const slurmFinishedSchema = z.strictObject({
  finishedAt: z.string(),
  /** 0 when every run of the grid completed and the report was written. */
  exitCode: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  notCompleted: z.array(z.string()),
  error: z.string().nullable(),
});
export type SlurmFinished = z.infer<typeof slurmFinishedSchema>;

function readWith<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${file} does not match the ${what} schema:\n${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

export const readSlurmSubmission = (file: string) => readWith(file, slurmSubmissionSchema, 'Slurm submission record');
export const readSlurmFinished = (file: string) => readWith(file, slurmFinishedSchema, 'Slurm follow-up marker');

/** Every readable submission record of an experiment folder (`runs/<experiment>`), oldest first. */
export function listSlurmSubmissions(experimentDir: string): { records: SlurmSubmission[]; problems: string[] } {
  const dir = path.join(experimentDir, SLURM_FOLDER);
  const records: SlurmSubmission[] = [];
  const problems: string[] = [];
  if (!fs.existsSync(dir)) return { records, problems };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name, 'submission.json');
    if (!entry.isDirectory() || !fs.existsSync(file)) continue;
    try {
      records.push(readSlurmSubmission(file));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  records.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  return { records, problems };
}
