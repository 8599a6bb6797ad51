-- AlterTable
ALTER TABLE "User" ADD COLUMN "fullName" TEXT;
