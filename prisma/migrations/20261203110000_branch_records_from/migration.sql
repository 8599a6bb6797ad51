-- AlterTable
ALTER TABLE "Branch" ADD COLUMN "recordsFrom" TEXT;

-- Existing branches: their records start with the earliest of the month they were set up (in Vietnam's
-- time) and the month of their earliest recorded meeting.
UPDATE "Branch" SET "recordsFrom" = substr(datetime("createdAt", '+7 hours'), 1, 7);
UPDATE "Branch" SET "recordsFrom" = (SELECT substr(MIN(m."date"), 1, 7) FROM "Meeting" m WHERE m."branchId" = "Branch"."id")
WHERE EXISTS (SELECT 1 FROM "Meeting" m WHERE m."branchId" = "Branch"."id" AND substr(m."date", 1, 7) < "Branch"."recordsFrom");
