import { readFile } from 'node:fs/promises';

/** CPU seconds (user + system) a process on this machine has used, or null where /proc cannot tell (another OS, the server elsewhere, or the process gone). */
export async function cpuSecondsOf(pid: number): Promise<number | null> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
