CREATE TABLE "household_incomes" (
	"household_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"wage_income" numeric(14, 2) DEFAULT 0 NOT NULL,
	"production_income" numeric(14, 2) DEFAULT 0 NOT NULL,
	"property_income" numeric(14, 2) DEFAULT 0 NOT NULL,
	"transfer_income" numeric(14, 2) DEFAULT 0 NOT NULL,
	"production_costs" numeric(14, 2) DEFAULT 0 NOT NULL,
	"net_income" numeric(14, 2) NOT NULL,
	"member_count" integer NOT NULL,
	"per_capita_net_income" numeric(14, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_incomes_household_id_year_pk" PRIMARY KEY("household_id","year"),
	CONSTRAINT "incomes_net" CHECK ("household_incomes"."net_income" = "household_incomes"."wage_income" + "household_incomes"."production_income" + "household_incomes"."property_income" + "household_incomes"."transfer_income" - "household_incomes"."production_costs"),
	CONSTRAINT "incomes_members" CHECK ("household_incomes"."member_count" >= 1),
	CONSTRAINT "incomes_per_capita" CHECK ("household_incomes"."per_capita_net_income" = round("household_incomes"."net_income" / "household_incomes"."member_count", 2)),
	CONSTRAINT "incomes_non_negative" CHECK ("household_incomes"."wage_income" >= 0 AND "household_incomes"."production_income" >= 0 AND "household_incomes"."property_income" >= 0 AND "household_incomes"."transfer_income" >= 0 AND "household_incomes"."production_costs" >= 0)
);
--> statement-breakpoint
CREATE TABLE "household_no_counters" (
	"area_code" text PRIMARY KEY NOT NULL,
	"next" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_versions" (
	"household_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"change" text NOT NULL,
	"changed_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"reason" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" uuid,
	"changed_by_name" text NOT NULL,
	CONSTRAINT "household_versions_household_id_version_pk" PRIMARY KEY("household_id","version")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_no" text NOT NULL,
	"area_code" text NOT NULL,
	"group_name" text,
	"address" text,
	"household_type" text NOT NULL,
	"identification_standard" text,
	"poverty_attribute" text,
	"main_poverty_cause" text,
	"other_poverty_causes" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text NOT NULL,
	"identification_year" integer,
	"phone" text,
	"bank_name" text,
	"bank_account" text,
	"housing_area" numeric(10, 2),
	"housing_structure" text,
	"housing_danger_grade" text,
	"housing_renovated" boolean DEFAULT false NOT NULL,
	"safe_drinking_water" boolean,
	"drinking_water_difficulty" boolean,
	"cultivated_land" numeric(10, 2),
	"forest_land" numeric(10, 2),
	"relocated" boolean DEFAULT false NOT NULL,
	"relocation_type" text,
	"reservoir_migrant" boolean DEFAULT false NOT NULL,
	"military_family" boolean DEFAULT false NOT NULL,
	"head_name" text NOT NULL,
	"member_count" integer NOT NULL,
	"latest_income_year" integer,
	"latest_per_capita_net_income" numeric(14, 2),
	"active" boolean DEFAULT true NOT NULL,
	"removed_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	CONSTRAINT "households_member_count_positive" CHECK ("households"."member_count" >= 1),
	CONSTRAINT "households_other_causes_max2" CHECK (coalesce(array_length("households"."other_poverty_causes", 1), 0) <= 2),
	CONSTRAINT "households_danger_grade" CHECK ("households"."housing_danger_grade" IS NULL OR "households"."housing_danger_grade" IN ('A','B','C','D'))
);
--> statement-breakpoint
CREATE TABLE "members" (
	"household_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sex" text NOT NULL,
	"id_type" text NOT NULL,
	"id_number" text NOT NULL,
	"birth_date" date NOT NULL,
	"relation_to_head" text NOT NULL,
	"ethnicity" text,
	"political_status" text,
	"education" text,
	"schooling" text,
	"health" text,
	"disease_name" text,
	"disability_category" text,
	"disability_grade" text,
	"labour_ability" text,
	"employment" text,
	"months_worked" integer,
	"medical_insurance" boolean DEFAULT false NOT NULL,
	"serious_illness_insurance" boolean DEFAULT false NOT NULL,
	"pension_insurance" boolean DEFAULT false NOT NULL,
	"minimum_living" boolean DEFAULT false NOT NULL,
	"extreme_hardship" boolean DEFAULT false NOT NULL,
	"active_military" boolean DEFAULT false NOT NULL,
	"phone" text,
	"alive" boolean DEFAULT true NOT NULL,
	"deceased_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	"change_reason" text,
	"change_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_household_id_id_pk" PRIMARY KEY("household_id","id"),
	CONSTRAINT "members_months_worked" CHECK ("members"."months_worked" IS NULL OR "members"."months_worked" BETWEEN 0 AND 12),
	CONSTRAINT "members_status" CHECK ("members"."status" IN ('active','removed'))
);
--> statement-breakpoint
CREATE TABLE "person_identities" (
	"id_number" text PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "household_incomes" ADD CONSTRAINT "household_incomes_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_versions" ADD CONSTRAINT "household_versions_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "households_no_idx" ON "households" USING btree ("household_no");--> statement-breakpoint
CREATE INDEX "households_area_idx" ON "households" USING btree ("area_code" text_pattern_ops,"household_no");--> statement-breakpoint
CREATE INDEX "households_head_name_idx" ON "households" USING btree ("head_name");--> statement-breakpoint
CREATE UNIQUE INDEX "members_one_head_idx" ON "members" USING btree ("household_id") WHERE "members"."relation_to_head" = 'head' AND "members"."status" = 'active';--> statement-breakpoint
CREATE INDEX "members_id_number_idx" ON "members" USING btree ("id_number");--> statement-breakpoint
CREATE INDEX "members_name_birth_idx" ON "members" USING btree ("name","birth_date");