import type { JobDto } from '../shared/jobs.ts';
import type { JobRow } from './jobs.ts';

/** A job row as the API returns it. */
export function toJobDto(j: JobRow): JobDto {
  return {
    id: j.id,
    type: j.type,
    status: j.status,
    progress: j.progress,
    total: j.total,
    message: j.message,
    result: j.result,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}
