-- Each commune's own settings (rule parameters over the province's, its committee secretary's name).
-- The Setting rows stay as they are: the province's values, a one-commune install's values.
-- CreateTable
CREATE TABLE "CommitteeSetting" (
    "committeeId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "CommitteeSetting_pkey" PRIMARY KEY ("committeeId","key")
);

-- AddForeignKey
ALTER TABLE "CommitteeSetting" ADD CONSTRAINT "CommitteeSetting_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
