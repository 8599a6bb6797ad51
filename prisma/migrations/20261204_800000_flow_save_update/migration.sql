-- AlterTable
ALTER TABLE "FlowSave" ADD COLUMN "updateId" TEXT;

-- CreateIndex
CREATE INDEX "FlowSave_updateId_idx" ON "FlowSave"("updateId");
