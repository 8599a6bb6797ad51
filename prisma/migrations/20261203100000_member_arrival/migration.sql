-- AlterTable
ALTER TABLE "Member" ADD COLUMN "arrivalDate" TEXT;

-- Members received by an incoming transfer arrived on its date.
UPDATE "Member" SET "arrivalDate" = (
    SELECT MAX(t."letterDate") FROM "Transfer" t WHERE t."memberId" = "Member"."id" AND t."direction" = 'IN'
) WHERE EXISTS (SELECT 1 FROM "Transfer" t WHERE t."memberId" = "Member"."id" AND t."direction" = 'IN');
