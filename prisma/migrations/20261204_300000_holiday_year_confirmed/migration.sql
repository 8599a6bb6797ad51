-- A year's holidays can be edited without being confirmed: rows saved before this were confirmed.
ALTER TABLE "HolidayYear" ADD COLUMN "confirmed" BOOLEAN NOT NULL DEFAULT true;
