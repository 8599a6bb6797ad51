// A user's own settings: the language the bot speaks to them.
import { auditActor, type Request, type AppDeps } from "./deps.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isStranger } from "../domain/roles.js";
import type { Locale } from "../i18n/index.js";

export async function setLocale(deps: AppDeps, { actor, now }: Request, locale: Locale): Promise<Outcome<Locale>> {
  if (isStranger(actor)) return fail("AUTH.FORBIDDEN");
  return deps.store.transaction(async (repos) => {
    const user =
      actor.userId !== null
        ? { id: actor.userId }
        : await repos.users.upsert(actor.telegramId, actor.displayName, null);
    await repos.users.setLocale(user.id, locale);
    await repos.audit.record({
      ...auditActor(actor),
      action: "user.locale",
      entity: "User",
      entityId: user.id,
      before: { locale: actor.locale },
      after: { locale },
      at: now,
    });
    return ok(locale);
  });
}
