-- CreateTable
CREATE TABLE "HolidayYear" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "days" TEXT NOT NULL,
    "confirmedAt" DATETIME NOT NULL,
    "confirmedByTelegramId" TEXT NOT NULL
);
