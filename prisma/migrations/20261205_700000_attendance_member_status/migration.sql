-- DropIndex
DROP INDEX "Attendance_memberId_idx";

-- CreateIndex
CREATE INDEX "Attendance_memberId_status_idx" ON "Attendance"("memberId", "status");
