CREATE TABLE "import_files" (
	"job_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_files_job_id_kind_pk" PRIMARY KEY("job_id","kind"),
	CONSTRAINT "import_files_kind" CHECK ("import_files"."kind" IN ('upload', 'report', 'rejected'))
);
