import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

/** node:util parseArgs with errors turned into usage errors that name the command. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`exp ${command}: ${(err as Error).message}`);
  }
}

export function csv(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function seedList(value: string | undefined): number[] | undefined {
  const items = csv(value);
  if (!items) return undefined;
  return items.map((s) => {
    if (!/^\d+$/.test(s)) throw new UsageError(`--seeds: '${s}' is not a non-negative integer`);
    // Above 2^53 a seed silently becomes another number (and fails the result schema after training).
    if (!Number.isSafeInteger(Number(s))) throw new UsageError(`--seeds: ${s} is above 2^53-1, the largest seed JSON keeps exactly`);
    return Number(s);
  });
}
