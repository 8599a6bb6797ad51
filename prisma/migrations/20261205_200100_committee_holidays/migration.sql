-- Each commune's own holiday calendar for a year, over the deployment's (HolidayYear rows stay as they are).
-- CreateTable
CREATE TABLE "CommitteeHolidayYear" (
    "committeeId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "days" TEXT NOT NULL,
    "confirmed" BOOLEAN NOT NULL DEFAULT true,
    "confirmedAt" DATETIME NOT NULL,
    "confirmedByTelegramId" TEXT NOT NULL,

    PRIMARY KEY ("committeeId", "year"),
    CONSTRAINT "CommitteeHolidayYear_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
