// Committee members' choice of the kinds of notices they receive, and the recipients of a kind.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { effectiveNoticeKinds, type NoticeKind } from "../domain/preferences.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isCommittee, isCommitteeRole } from "../domain/roles.js";
import type { Repositories } from "../db/store.js";

/** Committee members who receive this kind, plus the configured admins (the bootstrap) for violations. */
/**
 * One commune's committee members who receive this kind of notice. The configured admins (ADMIN_TELEGRAM_IDS)
 * sit on the first commune's committee only: another commune's notices never reach them.
 */
export async function committeeRecipients(
  repos: Repositories,
  kind: NoticeKind,
  configuredAdmins: readonly string[],
  committeeId: number,
): Promise<{ telegramId: string; locale: string | null }[]> {
  const committee = await repos.preferences.committee(committeeId);
  const adminIds = (await repos.committee.get())?.id === committeeId ? configuredAdmins : [];
  const ids = [...new Set([...committee.map((c) => c.telegramId), ...adminIds])];
  const choices = await repos.preferences.of(ids);
  const choicesOf = (telegramId: string) =>
    new Map(choices.filter((c) => c.telegramId === telegramId).map((c) => [c.kind, c.enabled]));
  const people = new Map(committee.map((c) => [c.telegramId, c]));
  for (const id of adminIds) {
    const known = people.get(id);
    people.set(id, {
      telegramId: id,
      locale: known?.locale ?? null,
      roles: [...new Set([...(known?.roles ?? []), "COMMITTEE_ADMIN"])],
    });
  }
  return [...people.values()]
    .filter((p) => effectiveNoticeKinds(p.roles.filter(isCommitteeRole), choicesOf(p.telegramId)).has(kind))
    .map((p) => ({ telegramId: p.telegramId, locale: p.locale }));
}

export async function myNoticeKinds(deps: AppDeps, { actor }: Request): Promise<Outcome<Set<NoticeKind>>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const choices = await deps.store.repos.preferences.of([actor.telegramId]);
  return ok(effectiveNoticeKinds(actor.committeeRoles, new Map(choices.map((c) => [c.kind, c.enabled]))));
}

export async function toggleNoticeKind(
  deps: AppDeps,
  request: Request,
  kind: NoticeKind,
): Promise<Outcome<Set<NoticeKind>>> {
  const current = await myNoticeKinds(deps, request);
  if (!current.ok) return current;
  const enabled = !current.value.has(kind);
  await deps.store.transaction(async (repos) => {
    await repos.preferences.set(request.actor.telegramId, kind, enabled, request.now);
    await repos.audit.record({
      ...auditActor(request.actor),
      action: "notices.choose",
      entity: "NotificationPreference",
      entityId: `${request.actor.telegramId}:${kind}`,
      before: { enabled: !enabled },
      after: { enabled },
      at: request.now,
    });
  });
  return myNoticeKinds(deps, request);
}
