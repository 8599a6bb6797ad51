-- Communes as tenants: committee roles and committee invitations name their commune.
-- AlterTable
ALTER TABLE "RoleAssignment" ADD COLUMN     "committeeId" INTEGER;

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "committeeId" INTEGER;

-- CreateIndex
CREATE INDEX "RoleAssignment_committeeId_role_idx" ON "RoleAssignment"("committeeId", "role");

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Communes as tenants: the committee roles and committee invitations of an existing database belong to its
-- one commune (a database without a commune yet gets it at first start, which adopts them).
UPDATE "RoleAssignment" SET "committeeId" = (SELECT MIN("id") FROM "Committee")
  WHERE "role" IN ('COMMITTEE_ADMIN', 'COMMITTEE_OFFICE', 'COMMITTEE_INSPECTION', 'COMMITTEE_STANDING');
UPDATE "Invitation" SET "committeeId" = (SELECT MIN("id") FROM "Committee")
  WHERE "role" IN ('COMMITTEE_ADMIN', 'COMMITTEE_OFFICE', 'COMMITTEE_INSPECTION', 'COMMITTEE_STANDING');
