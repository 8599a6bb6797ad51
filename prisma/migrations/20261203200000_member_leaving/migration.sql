-- AlterTable
ALTER TABLE "Member" ADD COLUMN "statePaper" TEXT;
