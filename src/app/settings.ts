// The rule parameters in force for a commune: the defaults of src/domain/rules/parameters.ts, under the
// province's values (Setting: a PROVINCE_ADMIN's, or a one-commune install's admin's), under the commune's own
// (CommitteeSetting: its COMMITTEE_ADMIN's), all changed from the chat (/caidat). Every change is checked and
// audited.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isCommittee, isProvince } from "../domain/roles.js";
import { settingAuditEntity, settingsKeeper, storeSetting } from "./committee.js";
import { checkRuleParameters, DEFAULT_RULE_PARAMETERS, type RuleParameters } from "../domain/rules/index.js";
import type { Repositories } from "../db/store.js";
import { calendarOf, holidayCalendar, holidayRecords, type HolidayYearStatus } from "./holidays.js";
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

const editableOf = (stored: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(stored).filter(([key]) => isEditableParameter(key)));

/**
 * The parameters a commune's rules count with: the defaults, the province's values over them, the commune's own
 * over those. Without a commune (null or left out): the province's values, which are a one-commune install's.
 */
export async function ruleParameters(repos: Repositories, committeeId?: number | null): Promise<RuleParameters> {
  const [province, commune, holidays] = await Promise.all([
    repos.settings.all(),
    committeeId === undefined || committeeId === null ? {} : repos.committeeSettings.all(committeeId),
    holidayCalendar(repos, committeeId),
  ]);
  return { ...DEFAULT_RULE_PARAMETERS, ...editableOf(province), ...editableOf(commune), holidays };
}

/** The parameters of a branch's commune. */
export async function branchParameters(repos: Repositories, branchId: number): Promise<RuleParameters> {
  return ruleParameters(repos, await repos.branches.committeeOf(branchId));
}

/**
 * The parameters of every branch, for a pass over the whole deployment: the province's for the branches of
 * communes that changed nothing, each other commune's own set for its branches. `sets` holds each distinct set
 * once, the province's first (most communes follow it).
 */
export async function parametersByBranch(
  repos: Repositories,
): Promise<{ sets: RuleParameters[]; of: (branchId: number) => RuleParameters }> {
  const province = await ruleParameters(repos, null);
  const sets = [province];
  const byBranch = new Map<number, RuleParameters>();
  const own = await repos.committeeSettings.byCommittee();
  const withHolidays = new Set(await repos.holidays.committeesWithOwn());
  for (const committeeId of new Set([...own.keys(), ...withHolidays])) {
    const values = editableOf(own.get(committeeId) ?? {});
    if (Object.keys(values).length === 0 && !withHolidays.has(committeeId)) continue;
    const holidays = withHolidays.has(committeeId) ? await holidayCalendar(repos, committeeId) : province.holidays;
    const params = { ...province, ...values, holidays };
    sets.push(params);
    for (const branchId of await repos.branches.idsOfCommittee(committeeId)) byBranch.set(branchId, params);
  }
  return { sets, of: (branchId) => byBranch.get(branchId) ?? province };
}

/** Whose parameters an actor reads in /caidat: its commune's (committee), the province's (province offices). */
function readerLevel(actor: Request["actor"]): { committeeId: number | null } | null {
  if (isCommittee(actor)) return { committeeId: actor.committeeId };
  return isProvince(actor) ? { committeeId: null } : null;
}

export async function viewParameters(
  deps: AppDeps,
  { actor, now }: Request,
): Promise<
  Outcome<{
    values: RuleParameters;
    editable: boolean;
    /** "province": the province's defaults (a province office's /caidat); "commune": one commune's values. */
    level: "province" | "commune";
    holidayYears: { year: number; status: HolidayYearStatus }[];
    /** The committee secretary's name, printed under the committee documents' signature (null: not set). */
    signer: string | null;
  }>
> {
  const reader = readerLevel(actor);
  if (!reader) return fail("AUTH.FORBIDDEN");
  const repos = deps.store.repos;
  const year = Number(isoDateIn(now, deps.timeZone).slice(0, 4));
  const records = await holidayRecords(repos, reader.committeeId);
  const calendar = calendarOf(records);
  const confirmed = new Set(records.filter((h) => h.confirmed).map((h) => h.year));
  const statusOf = (y: number): HolidayYearStatus =>
    confirmed.has(y) ? "CONFIRMED" : isGivenYear(calendar, y) ? "BUILT_IN" : "PROVISIONAL";
  const holidayYears = [year, year + 1].map((y) => ({ year: y, status: statusOf(y) }));
  const keeper = await settingsKeeper(deps, actor);
  return ok({
    values: await ruleParameters(repos, reader.committeeId),
    editable: keeper !== null,
    level: reader.committeeId === null ? "province" : "commune",
    holidayYears,
    signer: reader.committeeId === null ? null : await committeeSigner(repos, reader.committeeId),
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
  const keeper = await settingsKeeper(deps, actor);
  if (!keeper) return fail("AUTH.FORBIDDEN");
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
    const before = await ruleParameters(repos, keeper.level === "commune" ? keeper.committeeId : null);
    const checked = checkRuleParameters({ ...before, [key]: value });
    if (!checked.ok) return fail("SETTINGS.INVALID");
    // A province default must also make sense with each commune's own values (a warning after the alert…).
    if (keeper.level === "province" && !(await fitsEveryCommune(repos, key, value))) return fail("SETTINGS.INVALID");
    await storeSetting(repos, keeper, key, value, actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "settings.change",
      ...settingAuditEntity(keeper, key),
      before: { [key]: before[key] },
      after: { [key]: value },
      at: now,
    });
    await recordSave(repos, request);
    return ok(checked.value);
  });
}

/** Would every commune's parameters still make sense with this province default? */
async function fitsEveryCommune(repos: Repositories, key: EditableParameter, value: unknown): Promise<boolean> {
  const province = { ...DEFAULT_RULE_PARAMETERS, ...editableOf(await repos.settings.all()), [key]: value };
  const holidays = await holidayCalendar(repos);
  for (const commune of await repos.committee.list()) {
    const own = editableOf(await repos.committeeSettings.all(commune.id));
    if (Object.keys(own).length === 0) continue;
    if (!checkRuleParameters({ ...province, ...own, holidays }).ok) return false;
  }
  return true;
}
