import type { Tx } from "../client.js";

export interface CommitteeInfo {
  id: number;
  name: string;
  placeName: string;
}

export function committeeRepository(db: Tx) {
  return {
    async get(): Promise<CommitteeInfo | null> {
      return db.committee.findFirst({ select: { id: true, name: true, placeName: true }, orderBy: { id: "asc" } });
    },
    async create(name: string, placeName: string): Promise<CommitteeInfo> {
      return db.committee.create({ data: { name, placeName }, select: { id: true, name: true, placeName: true } });
    },
  };
}
