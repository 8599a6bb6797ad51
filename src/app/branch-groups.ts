// A branch's Telegram group, linked by its secretary or deputy: /lienketnhom typed in the group asks, the
// officer confirms in private (so nobody links a group to a branch by typing in it), and the bot then posts
// the branch's meeting notices and general reminders there — never anything about one member (see
// domain/group-messages.ts). Removing the bot from the group unlinks it. Each change is audited.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import type { Worded } from "./notices.js";
import { branchTitle } from "../domain/branches.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isGroupChat } from "../domain/group-messages.js";
import { canManageBranch, isBranchOfficer } from "../domain/roles.js";

export const GROUP_LINK_REQUEST_KIND = "group_link_request";
export const GROUP_LINKED_KIND = "group_linked";
/** A confirmation button older than this is stale: the officer types /lienketnhom again. */
const REQUEST_VALID_MS = 24 * 60 * 60 * 1000;
const MAX_TITLE_LENGTH = 128;

export interface GroupLinkAsk {
  requestId: number;
  title: string;
  branchName: string;
  locale: string | null;
}

/**
 * /lienketnhom in a group: the officer of exactly one branch gets, in private (through the outbox), the
 * question whether to link this group to their branch.
 */
export async function requestGroupLink(
  deps: AppDeps,
  { actor, now }: Request,
  group: { chatId: string; title: string },
  word: (ask: GroupLinkAsk) => Worded,
): Promise<Outcome<{ branchName: string }>> {
  if (!isGroupChat(group.chatId)) return fail("AUTH.FORBIDDEN");
  const branchIds = [...new Set(actor.branchRoles.map((r) => r.branchId))];
  if (branchIds.length === 0) return fail("GROUP.NOT_OFFICER");
  if (branchIds.length > 1) return fail("GROUP.MANY_BRANCHES");
  const branchId = branchIds[0]!;
  const title = group.title.replace(/\s+/g, " ").trim().slice(0, MAX_TITLE_LENGTH);
  return deps.store.transaction(async (repos) => {
    const branch = await repos.branches.get(branchId);
    if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
    const request = await repos.branchGroups.request({
      chatId: group.chatId,
      title,
      branchId,
      requestedByTelegramId: actor.telegramId,
      requestedAt: now,
    });
    const branchName = branchTitle(branch.name);
    await repos.outbox.enqueue(
      [
        {
          kind: GROUP_LINK_REQUEST_KIND,
          subject: `group-link:${request.id}`,
          period: "",
          recipientTelegramId: actor.telegramId,
          ...word({ requestId: request.id, title, branchName, locale: actor.locale }),
        },
      ],
      now,
    );
    await repos.audit.record({
      ...auditActor(actor),
      action: "group.linkRequest",
      entity: "Branch",
      entityId: branchId,
      after: { chatId: group.chatId, title, requestId: request.id },
      at: now,
    });
    return ok({ branchName });
  });
}

/** The officer's answer in private: link the group (telling the group), or drop the request. */
export async function answerGroupLink(
  deps: AppDeps,
  { actor, now }: Request,
  requestId: number,
  confirm: boolean,
  groupText: (branchName: string) => string,
): Promise<Outcome<{ title: string; branchName: string }>> {
  return deps.store.transaction(async (repos) => {
    const request = await repos.branchGroups.getRequest(requestId);
    // Someone else's request (a forged button) answers as if there were none.
    if (!request || request.requestedByTelegramId !== actor.telegramId || !isBranchOfficer(actor, request.branchId))
      return fail("AUTH.FORBIDDEN");
    if (request.status !== "PENDING" || now.getTime() - request.requestedAt.getTime() > REQUEST_VALID_MS)
      return fail("GROUP.LINK_STALE");
    const branch = await repos.branches.get(request.branchId);
    if (!branch) return fail("BRANCH.NOT_FOUND");
    const branchName = branchTitle(branch.name);
    if (!(await repos.branchGroups.closeRequest(requestId, confirm ? "CONFIRMED" : "CANCELLED")))
      return fail("GROUP.LINK_STALE");
    if (!confirm) return ok({ title: request.title, branchName });
    const before = await repos.branchGroups.ofBranch(request.branchId);
    const linked = {
      branchId: request.branchId,
      chatId: request.chatId,
      title: request.title,
      linkedAt: now,
      linkedByTelegramId: actor.telegramId,
    };
    await repos.branchGroups.link(linked);
    await repos.audit.record({
      ...auditActor(actor),
      action: "group.link",
      entity: "Branch",
      entityId: request.branchId,
      before,
      after: linked,
      at: now,
    });
    await repos.outbox.enqueue(
      [
        {
          kind: GROUP_LINKED_KIND,
          subject: `branch:${request.branchId}`,
          period: now.toISOString(),
          recipientTelegramId: request.chatId,
          text: groupText(branchName),
        },
      ],
      now,
    );
    return ok({ title: request.title, branchName });
  });
}

/** The bot was removed from a group: whatever branch it served is unlinked. */
export async function groupLeft(deps: AppDeps, { actor, now }: Request, chatId: string): Promise<void> {
  await deps.store.transaction(async (repos) => {
    const removed = await repos.branchGroups.unlinkChat(chatId);
    if (removed)
      await repos.audit.record({
        ...auditActor(actor),
        action: "group.unlink",
        entity: "Branch",
        entityId: removed.branchId,
        before: removed,
        after: null,
        at: now,
      });
  });
}

/** The branch's linked group, for its officers and the committee (/lichhop shows it). */
export async function linkedGroup(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
): Promise<Outcome<{ title: string } | null>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const group = await deps.store.repos.branchGroups.ofBranch(branchId);
  return ok(group ? { title: group.title } : null);
}
