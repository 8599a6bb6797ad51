-- A saved flow names what it saved (a member's departure, a payment) so an undo can mark the save undone.
ALTER TABLE "FlowSave" ADD COLUMN "subject" TEXT;
ALTER TABLE "FlowSave" ADD COLUMN "undoneAt" DATETIME;
CREATE INDEX "FlowSave_subject_idx" ON "FlowSave"("subject");
