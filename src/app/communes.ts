// Communes (Đảng bộ xã) as tenants of one deployment: what the scheduled jobs run once per commune, and the key
// a commune's committee-wide rows carry.
import type { Repositories } from "../db/store.js";
import type { CommitteeInfo } from "../db/repositories/committee.js";

/**
 * The key of a commune's committee-wide rows (its report numbers' issuer, its notices' subject): "committee"
 * for the first commune, as a one-commune install always had them, "committee:<id>" for the others.
 */
export function committeeKey(committeeId: number, firstId: number | null): string {
  return firstId === null || committeeId === firstId ? "committee" : `committee:${committeeId}`;
}

export interface Commune extends CommitteeInfo {
  /** committeeKey of the commune. */
  key: string;
  /** Its branches that are not archived. */
  branchIds: number[];
}

/** Every commune of the deployment, first one first, with its key and branches. */
export async function communes(repos: Repositories): Promise<Commune[]> {
  const all = await repos.committee.list();
  const firstId = all[0]?.id ?? null;
  const result: Commune[] = [];
  for (const commune of all)
    result.push({
      ...commune,
      key: committeeKey(commune.id, firstId),
      branchIds: await repos.branches.activeIdsOfCommittee(commune.id),
    });
  return result;
}

/** The committee-wide key of one commune. */
export async function keyOfCommune(repos: Repositories, committeeId: number): Promise<string> {
  return committeeKey(committeeId, (await repos.committee.get())?.id ?? null);
}

/** The commune a branch belongs to: its name and place head the branch's documents. Null for no such branch. */
export async function communeOfBranch(repos: Repositories, branchId: number): Promise<CommitteeInfo | null> {
  const committeeId = await repos.branches.committeeOf(branchId);
  return committeeId === null ? null : repos.committee.byId(committeeId);
}
