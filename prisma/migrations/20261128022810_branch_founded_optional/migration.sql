-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Branch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "committeeId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "foundedOn" TEXT,
    "archivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "meetingDay" INTEGER,
    "meetingTime" TEXT,
    "meetingPlace" TEXT,
    CONSTRAINT "Branch_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Branch" ("archivedAt", "committeeId", "createdAt", "foundedOn", "id", "meetingDay", "meetingPlace", "meetingTime", "name") SELECT "archivedAt", "committeeId", "createdAt", "foundedOn", "id", "meetingDay", "meetingPlace", "meetingTime", "name" FROM "Branch";
DROP TABLE "Branch";
ALTER TABLE "new_Branch" RENAME TO "Branch";
CREATE UNIQUE INDEX "Branch_committeeId_name_key" ON "Branch"("committeeId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
