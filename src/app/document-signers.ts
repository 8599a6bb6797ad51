// Who signs the documents the bot prints: the committee's secretary (Bí thư Đảng ủy) for the committee's
// reports and evaluation tally, a name each commune's admin keeps in /caidat (audited); the branch's secretary for a
// branch's report and dues ledger, the member holding BRANCH_SECRETARY. Without a name the signature block
// keeps its dotted line, to be written by hand.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { parseFullName } from "../domain/members.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import type { Repositories } from "../db/store.js";
import { settingAuditEntity, settingsKeeper, storeSetting } from "./committee.js";

/** The settings key of the committee secretary's name. */
export const COMMITTEE_SIGNER_KEY = "committeeSecretaryName";
/** What the admin types to clear the name (the dotted line comes back). */
export const CLEAR_SIGNER = "-";

/**
 * A commune's committee secretary's name as its admin set it, or null. Kept with the commune's own settings;
 * the first commune's may be the deployment's row (a one-commune install's, or one set before a second commune
 * came). Without a commune: the first one's.
 */
export async function committeeSigner(repos: Repositories, committeeId?: number): Promise<string | null> {
  const first = (await repos.committee.get())?.id;
  const commune = committeeId ?? first;
  const own = commune === undefined ? undefined : (await repos.committeeSettings.all(commune))[COMMITTEE_SIGNER_KEY];
  const value = own ?? (commune === first ? (await repos.settings.all())[COMMITTEE_SIGNER_KEY] : undefined);
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The signer of a document: a commune's committee secretary (for the committee) or the branch's secretary. */
export async function documentSigner(
  repos: Repositories,
  signer: { committeeId: number } | { branchId: number },
): Promise<string | null> {
  return "committeeId" in signer
    ? committeeSigner(repos, signer.committeeId)
    : repos.users.holderName("BRANCH_SECRETARY", signer.branchId);
}

/** The admin sets (or, with "-", clears) the committee secretary's name; checked, saved and audited. */
export async function changeCommitteeSigner(
  deps: AppDeps,
  request: Request,
  raw: string,
): Promise<Outcome<string | null>> {
  const { actor, now } = request;
  // Each commune's own: its admin keeps it (a province admin has no commune to sign for).
  const keeper = await settingsKeeper(deps, actor);
  if (keeper?.level !== "commune") return fail("AUTH.FORBIDDEN");
  let name: string | null = null;
  if (raw.trim() !== CLEAR_SIGNER) {
    const parsed = parseFullName(raw);
    if (!parsed.ok) return parsed;
    name = parsed.value;
  }
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = await committeeSigner(repos, keeper.committeeId);
    await storeSetting(repos, keeper, COMMITTEE_SIGNER_KEY, name ?? "", actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "settings.change",
      ...settingAuditEntity(keeper, COMMITTEE_SIGNER_KEY),
      before: { [COMMITTEE_SIGNER_KEY]: before },
      after: { [COMMITTEE_SIGNER_KEY]: name },
      at: now,
    });
    await recordSave(repos, request);
    return ok(name);
  });
}
