-- Staging for imports (issue 4): rows of new households are loaded here with COPY, tagged with the
-- import's stage id, then moved into the registry by one merging transaction and deleted. UNLOGGED:
-- staging is rebuilt from the file when an import is run again, so it needs no crash safety.
-- The tables copy the registry tables' columns (LIKE): a later migration adding a registry column
-- adds it here too.
CREATE UNLOGGED TABLE "import_stage_households" ("stage_id" uuid NOT NULL, LIKE "households" INCLUDING DEFAULTS);
--> statement-breakpoint
CREATE INDEX "import_stage_households_stage_idx" ON "import_stage_households" ("stage_id");
--> statement-breakpoint
CREATE UNLOGGED TABLE "import_stage_members" ("stage_id" uuid NOT NULL, LIKE "members" INCLUDING DEFAULTS);
--> statement-breakpoint
CREATE INDEX "import_stage_members_stage_idx" ON "import_stage_members" ("stage_id");
