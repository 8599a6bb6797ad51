// Tasks assigned at meetings: a member's own, a branch's open ones, and marking one done.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import type { TaskRecord } from "../db/repositories/meetings.js";

export type { TaskRecord };

export async function ownTasks(deps: AppDeps, { actor }: Request): Promise<Outcome<TaskRecord[]>> {
  if (!actor.member) return fail("LINK.NONE");
  return ok(await deps.store.repos.tasks.ofMember(actor.member.id, 30));
}

export async function branchOpenTasks(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
): Promise<Outcome<{ branchName: string; tasks: TaskRecord[] }>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  return ok({ branchName: branch.name, tasks: await deps.store.repos.tasks.openInBranch(branchId, 40) });
}

/** The member it was given to, or their branch's officers, may mark a task done; once. */
export async function markTaskDone(
  deps: AppDeps,
  { actor, now }: Request,
  taskId: number,
): Promise<Outcome<TaskRecord>> {
  return deps.store.transaction(async (repos) => {
    const task = await repos.tasks.get(taskId);
    if (!task || !(actor.member?.id === task.memberId || canManageBranch(actor, task.branchId)))
      return fail("AUTH.FORBIDDEN");
    if (!(await repos.tasks.markDone(taskId, now))) return ok(task);
    await repos.audit.record({
      ...auditActor(actor),
      action: "task.done",
      entity: "MeetingTask",
      entityId: taskId,
      before: { doneAt: null },
      after: { doneAt: now },
      at: now,
    });
    return ok({ ...task, doneAt: now });
  });
}
