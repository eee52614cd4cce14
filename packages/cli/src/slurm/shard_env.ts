/**
 * The shard of the grid a Slurm array task runs when `exp run` is given no `--shard`: task
 * SLURM_ARRAY_TASK_ID of an array of SLURM_ARRAY_TASK_COUNT tasks, counted from SLURM_ARRAY_TASK_MIN. Only a
 * contiguous array (step 1, no gaps) maps onto shards; anything else is an error that says to pass --shard.
 */
export function shardFromSlurmEnv(env: NodeJS.ProcessEnv): { index: number; count: number } | undefined {
  if (env.SLURM_ARRAY_TASK_ID === undefined) return undefined;
  const read = (name: string, fallback?: number): number => {
    const text = env[name];
    if (text === undefined && fallback !== undefined) return fallback;
    if (text === undefined || !/^\d+$/.test(text)) {
      throw new Error(`${name}=${text ?? '(unset)'}: expected a non-negative integer in a Slurm array task (or pass --shard i/n)`);
    }
    return Number(text);
  };
  const id = read('SLURM_ARRAY_TASK_ID');
  const count = read('SLURM_ARRAY_TASK_COUNT');
  const min = read('SLURM_ARRAY_TASK_MIN', 0);
  const max = read('SLURM_ARRAY_TASK_MAX', min + count - 1);
  const step = read('SLURM_ARRAY_TASK_STEP', 1);
  if (step !== 1 || max - min + 1 !== count) {
    throw new Error(
      `Slurm array ${min}-${max}${step !== 1 ? `:${step}` : ''} with ${count} task(s) is not a contiguous range, so its task ids are not shards 0..${count - 1}: pass --shard i/n (or submit with --array=0-${count - 1})`,
    );
  }
  if (count < 1 || id < min || id > max) throw new Error(`SLURM_ARRAY_TASK_ID=${id} is outside the array ${min}-${max}`);
  return { index: id - min, count };
}
