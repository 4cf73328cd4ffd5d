CREATE TABLE "assistance_measures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"type" text NOT NULL,
	"member_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"member_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"on_date" date NOT NULL,
	"amount" numeric(14, 2),
	"funding_source" text,
	"description" text,
	"need_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assistance_measures_amount" CHECK ("assistance_measures"."amount" IS NULL OR "assistance_measures"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "assistance_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"goal" text,
	"planned_exit_year" integer,
	"planned_measures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "assistance_plans_exit_year" CHECK ("assistance_plans"."planned_exit_year" IS NULL OR "assistance_plans"."planned_exit_year" >= "assistance_plans"."year")
);
--> statement-breakpoint
CREATE TABLE "assistance_settings" (
	"area_code" text PRIMARY KEY NOT NULL,
	"visit_period_days" integer NOT NULL,
	"max_households_per_helper" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "assistance_settings_values" CHECK ("assistance_settings"."visit_period_days" BETWEEN 1 AND 366 AND "assistance_settings"."max_households_per_helper" BETWEEN 1 AND 200)
);
--> statement-breakpoint
CREATE TABLE "assisting_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"area_code" text NOT NULL,
	"contact_person" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "assisting_units_kind" CHECK ("assisting_units"."kind" IN ('organ','institution','enterprise','other'))
);
--> statement-breakpoint
CREATE TABLE "helper_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"helper_id" uuid NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"end_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"ended_by" uuid,
	CONSTRAINT "helper_assignments_dates" CHECK ("helper_assignments"."end_date" IS NULL OR "helper_assignments"."end_date" >= "helper_assignments"."start_date")
);
--> statement-breakpoint
CREATE TABLE "helpers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"post" text,
	"phone" text,
	"area_code" text NOT NULL,
	"user_id" uuid,
	"max_households" integer,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "helpers_max_households" CHECK ("helpers"."max_households" IS NULL OR "helpers"."max_households" >= 1)
);
--> statement-breakpoint
CREATE TABLE "household_needs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"raised_on" date NOT NULL,
	"met_on" date,
	"met_by_measure_id" uuid,
	"met_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_needs_status" CHECK ("household_needs"."status" IN ('open','inProgress','met')),
	CONSTRAINT "household_needs_met" CHECK (("household_needs"."status" = 'met') = ("household_needs"."met_on" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "leader_contact_points" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"leader_name" text NOT NULL,
	"leader_post" text NOT NULL,
	"township_code" text NOT NULL,
	"village_code" text NOT NULL,
	"county_leader_name" text,
	"county_leader_post" text,
	"unit_id" uuid,
	"start_date" date NOT NULL,
	"end_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "leader_contact_points_dates" CHECK ("leader_contact_points"."end_date" IS NULL OR "leader_contact_points"."end_date" >= "leader_contact_points"."start_date")
);
--> statement-breakpoint
CREATE TABLE "visit_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visit_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_photos_mime" CHECK ("visit_photos"."mime_type" IN ('image/jpeg','image/png','image/webp'))
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"helper_id" uuid,
	"visitor_name" text NOT NULL,
	"visit_date" date NOT NULL,
	"content" text NOT NULL,
	"problems" text,
	"recorded_by" uuid,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_team_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid,
	"post" text,
	"phone" text,
	"is_leader" boolean DEFAULT false NOT NULL,
	"is_first_secretary" boolean DEFAULT false NOT NULL,
	"full_time" boolean DEFAULT true NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_team_members_dates" CHECK ("work_team_members"."end_date" IS NULL OR "work_team_members"."end_date" >= "work_team_members"."start_date")
);
--> statement-breakpoint
CREATE TABLE "work_teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"village_code" text NOT NULL,
	"sending_unit_id" uuid NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "work_teams_dates" CHECK ("work_teams"."end_date" IS NULL OR "work_teams"."end_date" >= "work_teams"."start_date")
);
--> statement-breakpoint
ALTER TABLE "assistance_measures" ADD CONSTRAINT "assistance_measures_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_measures" ADD CONSTRAINT "assistance_measures_need_id_household_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."household_needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_plans" ADD CONSTRAINT "assistance_plans_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisting_units" ADD CONSTRAINT "assisting_units_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helper_assignments" ADD CONSTRAINT "helper_assignments_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helper_assignments" ADD CONSTRAINT "helper_assignments_helper_id_helpers_id_fk" FOREIGN KEY ("helper_id") REFERENCES "public"."helpers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpers" ADD CONSTRAINT "helpers_unit_id_assisting_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."assisting_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpers" ADD CONSTRAINT "helpers_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpers" ADD CONSTRAINT "helpers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_needs" ADD CONSTRAINT "household_needs_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_contact_points" ADD CONSTRAINT "leader_contact_points_township_code_areas_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_contact_points" ADD CONSTRAINT "leader_contact_points_village_code_areas_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_contact_points" ADD CONSTRAINT "leader_contact_points_unit_id_assisting_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."assisting_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_photos" ADD CONSTRAINT "visit_photos_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_helper_id_helpers_id_fk" FOREIGN KEY ("helper_id") REFERENCES "public"."helpers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_team_members" ADD CONSTRAINT "work_team_members_team_id_work_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."work_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_team_members" ADD CONSTRAINT "work_team_members_unit_id_assisting_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."assisting_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_team_members" ADD CONSTRAINT "work_team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_teams" ADD CONSTRAINT "work_teams_village_code_areas_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_teams" ADD CONSTRAINT "work_teams_sending_unit_id_assisting_units_id_fk" FOREIGN KEY ("sending_unit_id") REFERENCES "public"."assisting_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assistance_measures_household_idx" ON "assistance_measures" USING btree ("household_id","on_date");--> statement-breakpoint
CREATE INDEX "assistance_measures_type_idx" ON "assistance_measures" USING btree ("type","on_date");--> statement-breakpoint
CREATE UNIQUE INDEX "assistance_plans_household_year_idx" ON "assistance_plans" USING btree ("household_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "assisting_units_name_idx" ON "assisting_units" USING btree ("area_code","name");--> statement-breakpoint
CREATE UNIQUE INDEX "helper_assignments_current_idx" ON "helper_assignments" USING btree ("household_id") WHERE "helper_assignments"."end_date" IS NULL;--> statement-breakpoint
CREATE INDEX "helper_assignments_helper_idx" ON "helper_assignments" USING btree ("helper_id","end_date");--> statement-breakpoint
CREATE INDEX "helper_assignments_household_idx" ON "helper_assignments" USING btree ("household_id","start_date");--> statement-breakpoint
CREATE UNIQUE INDEX "helpers_user_idx" ON "helpers" USING btree ("user_id") WHERE "helpers"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "helpers_area_idx" ON "helpers" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "helpers_unit_idx" ON "helpers" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "household_needs_household_idx" ON "household_needs" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "household_needs_status_idx" ON "household_needs" USING btree ("status") WHERE "household_needs"."status" <> 'met';--> statement-breakpoint
CREATE UNIQUE INDEX "leader_contact_points_current_idx" ON "leader_contact_points" USING btree ("leader_name","leader_post") WHERE "leader_contact_points"."end_date" IS NULL;--> statement-breakpoint
CREATE INDEX "leader_contact_points_village_idx" ON "leader_contact_points" USING btree ("village_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "visit_photos_visit_idx" ON "visit_photos" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "visits_household_idx" ON "visits" USING btree ("household_id","visit_date");--> statement-breakpoint
CREATE INDEX "visits_helper_idx" ON "visits" USING btree ("helper_id","visit_date");--> statement-breakpoint
CREATE INDEX "work_team_members_team_idx" ON "work_team_members" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_team_members_leader_idx" ON "work_team_members" USING btree ("team_id") WHERE "work_team_members"."is_leader" AND "work_team_members"."end_date" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "work_team_members_secretary_idx" ON "work_team_members" USING btree ("team_id") WHERE "work_team_members"."is_first_secretary" AND "work_team_members"."end_date" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "work_teams_current_idx" ON "work_teams" USING btree ("village_code") WHERE "work_teams"."end_date" IS NULL;--> statement-breakpoint
CREATE INDEX "work_teams_village_idx" ON "work_teams" USING btree ("village_code" text_pattern_ops);