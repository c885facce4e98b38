/**
 * CPU seconds and resident memory of running processes from /proc (Linux): utime + stime of /proc/<pid>/stat in clock
 * ticks, and VmRSS / VmHWM (the kernel's own peak resident set) of /proc/<pid>/status.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux everywhere in practice). */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** One reading of one process. */
export interface ProcReading {
  /** User + system CPU seconds since it started. */
  readonly cpuSeconds: number;
  /** Resident set now, MB. */
  readonly rssMb: number;
  /** Peak resident set since it started (VmHWM), MB. */
  readonly peakRssMb: number;
}

const kb = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);

/** Reads a process, or undefined when it is gone. */
export function readProc(pid: number): ProcReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'; utime, stime are 14th, 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { cpuSeconds: ticks / TICKS, rssMb: kb(status, 'VmRSS') / 1024, peakRssMb: kb(status, 'VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The value of `--<flag>=` on a process's command line, if it has one. */
export function commandLineFlag(pid: number, flag: string): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  } catch {
    return undefined;
  }
}

/** The machine: cores, load averages and memory, from /proc. */
export function machineFacts(): { nproc: number; loadavg: [number, number, number]; memTotalMb: number; cpuModel: string } {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number) as [number, number, number];
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    loadavg: load,
    memTotalMb: Math.round(kb(meminfo, 'MemTotal') / 1024),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
  };
}
