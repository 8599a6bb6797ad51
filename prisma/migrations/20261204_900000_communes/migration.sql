-- Communes as tenants: committee roles and committee invitations name their commune.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoleAssignment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "branchId" INTEGER,
    "committeeId" INTEGER,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "grantedBy" TEXT,
    "revokedAt" DATETIME,
    CONSTRAINT "RoleAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RoleAssignment_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "RoleAssignment_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_RoleAssignment" ("branchId", "grantedAt", "grantedBy", "id", "revokedAt", "role", "userId") SELECT "branchId", "grantedAt", "grantedBy", "id", "revokedAt", "role", "userId" FROM "RoleAssignment";
DROP TABLE "RoleAssignment";
ALTER TABLE "new_RoleAssignment" RENAME TO "RoleAssignment";
CREATE INDEX "RoleAssignment_userId_idx" ON "RoleAssignment"("userId");
CREATE INDEX "RoleAssignment_branchId_role_idx" ON "RoleAssignment"("branchId", "role");
CREATE INDEX "RoleAssignment_committeeId_role_idx" ON "RoleAssignment"("committeeId", "role");
CREATE TABLE "new_Invitation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "codeHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "branchId" INTEGER,
    "committeeId" INTEGER,
    "memberId" INTEGER,
    "label" TEXT NOT NULL,
    "createdByTelegramId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedByTelegramId" TEXT,
    "revokedAt" DATETIME,
    CONSTRAINT "Invitation_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Invitation_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Invitation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Invitation" ("branchId", "codeHash", "createdAt", "createdByTelegramId", "expiresAt", "id", "label", "memberId", "revokedAt", "role", "usedAt", "usedByTelegramId") SELECT "branchId", "codeHash", "createdAt", "createdByTelegramId", "expiresAt", "id", "label", "memberId", "revokedAt", "role", "usedAt", "usedByTelegramId" FROM "Invitation";
DROP TABLE "Invitation";
ALTER TABLE "new_Invitation" RENAME TO "Invitation";
CREATE UNIQUE INDEX "Invitation_codeHash_key" ON "Invitation"("codeHash");
CREATE INDEX "Invitation_branchId_idx" ON "Invitation"("branchId");
CREATE INDEX "Invitation_memberId_idx" ON "Invitation"("memberId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Communes as tenants: the committee roles and committee invitations of an existing database belong to its
-- one commune (a database without a commune yet gets it at first start, which adopts them).
UPDATE "RoleAssignment" SET "committeeId" = (SELECT MIN("id") FROM "Committee")
  WHERE "role" IN ('COMMITTEE_ADMIN', 'COMMITTEE_OFFICE', 'COMMITTEE_INSPECTION', 'COMMITTEE_STANDING');
UPDATE "Invitation" SET "committeeId" = (SELECT MIN("id") FROM "Committee")
  WHERE "role" IN ('COMMITTEE_ADMIN', 'COMMITTEE_OFFICE', 'COMMITTEE_INSPECTION', 'COMMITTEE_STANDING');
