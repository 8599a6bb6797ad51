-- Each commune's own holiday calendar for a year, over the deployment's (HolidayYear rows stay as they are).
-- CreateTable
CREATE TABLE "CommitteeHolidayYear" (
    "committeeId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "days" TEXT NOT NULL,
    "confirmed" BOOLEAN NOT NULL DEFAULT true,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "confirmedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "CommitteeHolidayYear_pkey" PRIMARY KEY ("committeeId","year")
);

-- AddForeignKey
ALTER TABLE "CommitteeHolidayYear" ADD CONSTRAINT "CommitteeHolidayYear_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
