// The rule parameters in force: the defaults of src/domain/rules/parameters.ts, with the values an
// admin changed from the chat (/caidat). Every change is checked and audited.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isCommittee } from "../domain/roles.js";
import { keepsDeploymentSettings } from "./committee.js";
import { checkRuleParameters, DEFAULT_RULE_PARAMETERS, type RuleParameters } from "../domain/rules/index.js";
import type { Repositories } from "../db/store.js";
import { holidayCalendar, type HolidayYearStatus } from "./holidays.js";
import { isoDateIn } from "../domain/dates.js";
import { isGivenYear } from "../domain/working-days.js";
import { committeeSigner } from "./document-signers.js";

/** The parameters an admin may change from the chat; the others are changed in the code's defaults. */
export const EDITABLE_PARAMETERS = [
  "absenceWarnMonths",
  "absenceAlertMonths",
  "duesWarnMonths",
  "duesAlertMonths",
  "ruleWindow",
  "duesGraceDays",
  "attendanceTarget",
  "excusedStreak",
  "checkinEveryMonths",
  "digestThreshold",
] as const;
export type EditableParameter = (typeof EDITABLE_PARAMETERS)[number];
const EDITABLE = new Set<string>(EDITABLE_PARAMETERS);
/** Whether a stored setting's key names a parameter an admin may change (other keys are not rule parameters). */
export const isEditableParameter = (key: string): key is EditableParameter => EDITABLE.has(key);

export async function ruleParameters(repos: Repositories): Promise<RuleParameters> {
  const [stored, holidays] = await Promise.all([repos.settings.all(), holidayCalendar(repos)]);
  const overrides = Object.fromEntries(Object.entries(stored).filter(([key]) => isEditableParameter(key)));
  return { ...DEFAULT_RULE_PARAMETERS, ...overrides, holidays };
}

export async function viewParameters(
  deps: AppDeps,
  { actor, now }: Request,
): Promise<
  Outcome<{
    values: RuleParameters;
    editable: boolean;
    holidayYears: { year: number; status: HolidayYearStatus }[];
    /** The committee secretary's name, printed under the committee documents' signature (null: not set). */
    signer: string | null;
  }>
> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const year = Number(isoDateIn(now, deps.timeZone).slice(0, 4));
  const calendar = await holidayCalendar(deps.store.repos);
  const confirmed = new Set((await deps.store.repos.holidays.all()).filter((h) => h.confirmed).map((h) => h.year));
  const statusOf = (y: number): HolidayYearStatus =>
    confirmed.has(y) ? "CONFIRMED" : isGivenYear(calendar, y) ? "BUILT_IN" : "PROVISIONAL";
  const holidayYears = [year, year + 1].map((y) => ({ year: y, status: statusOf(y) }));
  return ok({
    values: await ruleParameters(deps.store.repos),
    editable: await keepsDeploymentSettings(deps, actor),
    holidayYears,
    signer: await committeeSigner(deps.store.repos),
  });
}

/** Parses what an admin typed for a parameter, checks the whole set still makes sense, saves and audits. */
export async function changeParameter(
  deps: AppDeps,
  request: Request,
  key: EditableParameter,
  raw: string,
): Promise<Outcome<RuleParameters>> {
  const { actor, now } = request;
  if (!(await keepsDeploymentSettings(deps, actor))) return fail("AUTH.FORBIDDEN");
  const text = raw.trim().replace(",", ".");
  const value: unknown =
    key === "ruleWindow"
      ? text
      : key === "attendanceTarget"
        ? Number(text.replace("%", "")) / (text.includes("%") ? 100 : 1)
        : Number(text);
  if (typeof value === "number" && !Number.isFinite(value)) return fail("SETTINGS.INVALID");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = await ruleParameters(repos);
    const checked = checkRuleParameters({ ...before, [key]: value });
    if (!checked.ok) return fail("SETTINGS.INVALID");
    await repos.settings.set(key, value, actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "settings.change",
      entity: "Setting",
      entityId: key,
      before: { [key]: before[key] },
      after: { [key]: value },
      at: now,
    });
    await recordSave(repos, request);
    return ok(checked.value);
  });
}
