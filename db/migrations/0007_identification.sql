CREATE TABLE "adjustment_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"deadline" date NOT NULL,
	"note" text,
	"opened_by" uuid,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "cross_check_entries" (
	"list_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"id_number" text NOT NULL,
	"name" text,
	"detail" text,
	CONSTRAINT "cross_check_entries_list_id_row_pk" PRIMARY KEY("list_id","row")
);
--> statement-breakpoint
CREATE TABLE "cross_check_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"area_code" text NOT NULL,
	"name" text NOT NULL,
	"source" text,
	"file_name" text NOT NULL,
	"row_count" integer NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_quality_findings" (
	"household_id" uuid NOT NULL,
	"area_code" text NOT NULL,
	"check" text NOT NULL,
	"detail" jsonb,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_quality_findings_household_id_check_pk" PRIMARY KEY("household_id","check")
);
--> statement-breakpoint
CREATE TABLE "data_quality_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_code" text NOT NULL,
	"job_id" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"households" integer,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_quality_runs_status" CHECK ("data_quality_runs"."status" IN ('queued','running','done','failed'))
);
--> statement-breakpoint
CREATE TABLE "exclusion_rule_settings" (
	"area_code" text NOT NULL,
	"rule" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"params" jsonb,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exclusion_rule_settings_area_code_rule_pk" PRIMARY KEY("area_code","rule")
);
--> statement-breakpoint
CREATE TABLE "household_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"round_id" uuid,
	"on_date" date NOT NULL,
	"reason" text,
	"details" jsonb,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_events_kind" CHECK ("household_events"."kind" IN ('newEntry','memberAdded','memberRemoved','split','merged','cleared','returned'))
);
--> statement-breakpoint
CREATE TABLE "identification_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"area_code" text NOT NULL,
	"state" text DEFAULT 'applied' NOT NULL,
	"applied_on" date NOT NULL,
	"statement" text,
	"votes_for" integer,
	"votes_against" integer,
	"end_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identification_applications_votes" CHECK (coalesce("identification_applications"."votes_for", 0) >= 0 AND coalesce("identification_applications"."votes_against", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "identification_appraisals" (
	"batch_id" uuid PRIMARY KEY NOT NULL,
	"meeting_date" date NOT NULL,
	"representatives" integer NOT NULL,
	"attended" integer NOT NULL,
	"chaired_by" text NOT NULL,
	"minutes" text,
	"minutes_file_name" text,
	"minutes_file_type" text,
	"minutes_file" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identification_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"kind" text DEFAULT 'poverty' NOT NULL,
	"title" text NOT NULL,
	"round_id" uuid,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "identification_batches_kind" CHECK ("identification_batches"."kind" IN ('poverty','relativePoverty'))
);
--> statement-breakpoint
CREATE TABLE "identification_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"posted_at" text NOT NULL,
	"objection_contact" text NOT NULL,
	"application_ids" uuid[] NOT NULL,
	"opened_by" uuid,
	"opened_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identification_notices_dates" CHECK ("identification_notices"."end_date" >= "identification_notices"."start_date")
);
--> statement-breakpoint
CREATE TABLE "identification_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"area_code" text NOT NULL,
	"raised_on" date NOT NULL,
	"raised_by" text,
	"contact" text,
	"grounds" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"investigation" text,
	"decided_on" date,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_by_name" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identification_objections_status" CHECK ("identification_objections"."status" IN ('open','upheld','dismissed'))
);
--> statement-breakpoint
CREATE TABLE "identification_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"on_date" date NOT NULL,
	"responsible_person" text NOT NULL,
	"note" text,
	"details" jsonb,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_line_hits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"area_code" text NOT NULL,
	"rule" text NOT NULL,
	"member_id" uuid,
	"source" text NOT NULL,
	"list_id" uuid,
	"detail" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"justification" text,
	"justified_by" uuid,
	"justified_by_name" text,
	"justified_at" timestamp with time zone,
	"found_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "red_line_hits_status" CHECK ("red_line_hits"."status" IN ('open','justified','cleared'))
);
--> statement-breakpoint
CREATE TABLE "relative_poverty_standards" (
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"method" text NOT NULL,
	"line" numeric(14, 2),
	"share" numeric(5, 4),
	"note" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relative_poverty_standards_area_code_year_pk" PRIMARY KEY("area_code","year"),
	CONSTRAINT "relative_poverty_standards_method" CHECK (("relative_poverty_standards"."method" = 'absolute' AND "relative_poverty_standards"."line" > 0) OR ("relative_poverty_standards"."method" = 'medianShare' AND "relative_poverty_standards"."share" > 0 AND "relative_poverty_standards"."share" <= 1))
);
--> statement-breakpoint
CREATE TABLE "verification_findings" (
	"sample_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"area_code" text NOT NULL,
	"stratum" text NOT NULL,
	"position" integer NOT NULL,
	"finding" text,
	"visited_on" date,
	"visitor" text,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone,
	CONSTRAINT "verification_findings_sample_id_household_id_pk" PRIMARY KEY("sample_id","household_id"),
	CONSTRAINT "verification_findings_stratum" CHECK ("verification_findings"."stratum" IN ('poor','nonPoor')),
	CONSTRAINT "verification_findings_finding" CHECK ("verification_findings"."finding" IS NULL OR "verification_findings"."finding" IN ('correct','shouldExclude','missing'))
);
--> statement-breakpoint
CREATE TABLE "verification_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"seed" integer NOT NULL,
	"poor_rate" numeric(5, 4) NOT NULL,
	"non_poor_rate" numeric(5, 4) NOT NULL,
	"poor_population" integer NOT NULL,
	"non_poor_population" integer NOT NULL,
	"note" text,
	"drawn_by" uuid,
	"drawn_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "village_identifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"relative" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'applied' NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"end_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "village_indicators" (
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"per_capita_net_income" numeric(14, 2),
	"registered_population" integer,
	"poor_population" integer,
	"hardened_road" boolean,
	"safe_water" boolean,
	"power" boolean,
	"broadband" boolean,
	"clinic" boolean,
	"collective_income" numeric(14, 2),
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "village_indicators_area_code_year_pk" PRIMARY KEY("area_code","year")
);
--> statement-breakpoint
ALTER TABLE "adjustment_rounds" ADD CONSTRAINT "adjustment_rounds_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cross_check_entries" ADD CONSTRAINT "cross_check_entries_list_id_cross_check_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."cross_check_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_quality_findings" ADD CONSTRAINT "data_quality_findings_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_events" ADD CONSTRAINT "household_events_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_applications" ADD CONSTRAINT "identification_applications_batch_id_identification_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."identification_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_applications" ADD CONSTRAINT "identification_applications_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_appraisals" ADD CONSTRAINT "identification_appraisals_batch_id_identification_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."identification_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_batches" ADD CONSTRAINT "identification_batches_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_notices" ADD CONSTRAINT "identification_notices_batch_id_identification_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."identification_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_objections" ADD CONSTRAINT "identification_objections_application_id_identification_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."identification_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_steps" ADD CONSTRAINT "identification_steps_application_id_identification_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."identification_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_line_hits" ADD CONSTRAINT "red_line_hits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relative_poverty_standards" ADD CONSTRAINT "relative_poverty_standards_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_findings" ADD CONSTRAINT "verification_findings_sample_id_verification_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."verification_samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_findings" ADD CONSTRAINT "verification_findings_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_samples" ADD CONSTRAINT "verification_samples_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "village_identifications" ADD CONSTRAINT "village_identifications_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "village_indicators" ADD CONSTRAINT "village_indicators_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "adjustment_rounds_area_year_idx" ON "adjustment_rounds" USING btree ("area_code","year");--> statement-breakpoint
CREATE INDEX "cross_check_entries_id_number_idx" ON "cross_check_entries" USING btree ("id_number");--> statement-breakpoint
CREATE INDEX "data_quality_findings_area_idx" ON "data_quality_findings" USING btree ("area_code" text_pattern_ops,"check");--> statement-breakpoint
CREATE INDEX "data_quality_runs_area_idx" ON "data_quality_runs" USING btree ("area_code","created_at");--> statement-breakpoint
CREATE INDEX "household_events_area_idx" ON "household_events" USING btree ("area_code" text_pattern_ops,"year","kind");--> statement-breakpoint
CREATE INDEX "household_events_household_idx" ON "household_events" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "identification_applications_batch_idx" ON "identification_applications" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "identification_applications_household_idx" ON "identification_applications" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "identification_applications_area_idx" ON "identification_applications" USING btree ("area_code" text_pattern_ops,"state");--> statement-breakpoint
CREATE UNIQUE INDEX "identification_applications_live_idx" ON "identification_applications" USING btree ("household_id") WHERE "identification_applications"."state" NOT IN ('registered','rejected','withdrawn');--> statement-breakpoint
CREATE INDEX "identification_batches_area_idx" ON "identification_batches" USING btree ("area_code" text_pattern_ops,"year");--> statement-breakpoint
CREATE INDEX "identification_notices_batch_kind_idx" ON "identification_notices" USING btree ("batch_id","kind");--> statement-breakpoint
CREATE INDEX "identification_objections_application_idx" ON "identification_objections" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "identification_objections_area_idx" ON "identification_objections" USING btree ("area_code" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "identification_steps_application_idx" ON "identification_steps" USING btree ("application_id","id");--> statement-breakpoint
CREATE INDEX "red_line_hits_household_idx" ON "red_line_hits" USING btree ("household_id","status");--> statement-breakpoint
CREATE INDEX "red_line_hits_area_idx" ON "red_line_hits" USING btree ("area_code" text_pattern_ops,"status");--> statement-breakpoint
CREATE UNIQUE INDEX "village_identifications_area_year_idx" ON "village_identifications" USING btree ("area_code","year");