// Stands in for the Celery worker behind the task service: a queued task runs a little later,
// out of band, which is why clients have to poll for `executed`.
import { djangoDateTime } from '../data/time.js';
import type { MockState } from '../state.js';

export const DEFAULT_TASK_EXECUTION_DELAY_MS = 50;

/** Marks the task executed after `delayMs`, if it (still) exists; a task id that never existed is a no-op. */
export function enqueueTaskExecution(state: MockState, taskId: number, delayMs: number): void {
  const generation = state.generation;
  const timer = setTimeout(() => {
    // A reset in between means this job belongs to a world that no longer exists.
    if (state.generation !== generation) return;
    const stored = state.data.tareas.items.find((item) => item.tarea.id === taskId);
    if (!stored) return;
    const tarea = stored.tarea;
    // As the real worker: `execution_time` is `timezone.now()` when it finishes (a DateTimeField,
    // not a duration), and `result` the target's JSON answer.
    const finished = djangoDateTime(state.now());
    tarea.status = 'executed';
    tarea.execution_time = finished;
    tarea.result = { status_code: 200, body: 'ok' };
    tarea.updated_at = finished;
  }, delayMs);
  // Never keep a test run or a closing process alive for a simulated job.
  timer.unref();
}
