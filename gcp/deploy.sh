#!/usr/bin/env bash
# Generated from app/functions.ts by `npm run generate`. Do not edit by hand.
# Deploys the function table to Google Cloud Functions (gen2); see "Deploying to Google Cloud" in the README.
# The fixed part of gcp/deploy.sh (adapters/gcp/deploy-script.ts puts the table's part after it).
set -euo pipefail

usage='Usage: PROJECT=<project id> BUCKET_PREFIX=<prefix> [REGION=europe-west1] [SOURCE=.gcp] gcp/deploy.sh [function ...]'
missing=()
[[ -n "${PROJECT:-}" ]] || missing+=('PROJECT, the Google Cloud project id')
[[ -n "${BUCKET_PREFIX:-}" ]] || missing+=('BUCKET_PREFIX, put before each blob container name to make its bucket (bucket names are global: e.g. acme-portico-prod-)')
if ((${#missing[@]})); then
  printf 'gcp/deploy.sh: set %s\n' "${missing[@]}" >&2
  echo "$usage" >&2
  exit 2
fi
if [[ ! "$BUCKET_PREFIX" =~ ^[a-z0-9][a-z0-9._-]*$ ]]; then
  echo 'gcp/deploy.sh: BUCKET_PREFIX may hold only lower-case letters, digits, dots, dashes and underscores' >&2
  exit 2
fi
REGION="${REGION:-europe-west1}"
# Both also go into the API Gateway config (gcp/api-gateway.json) by substitution: only their own forms pass.
if [[ ! "$PROJECT" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]]; then
  echo 'gcp/deploy.sh: PROJECT must be a project id (6 to 30 lower-case letters, digits and dashes)' >&2
  exit 2
fi
if [[ ! "$REGION" =~ ^[a-z]+-[a-z]+[0-9]+$ ]]; then
  echo 'gcp/deploy.sh: REGION must be a region name such as europe-west1' >&2
  exit 2
fi
SOURCE="${SOURCE:-.gcp}"
if [[ ! -f "$SOURCE/package.json" ]]; then
  echo "gcp/deploy.sh: no $SOURCE/package.json: run 'npm run package:gcp' first (or point SOURCE at the staged source)" >&2
  exit 2
fi
export CLOUDSDK_CORE_PROJECT="$PROJECT" CLOUDSDK_CORE_DISABLE_PROMPTS=1

# Runs a create command; what exists already is kept, so the script can run again.
ensure() {
  local out
  out="$("$@" 2>&1)" && return 0
  [[ "$out" == *'already exists'* || "$out" == *'already own'* ]] && return 0
  printf '%s\n' "$out" >&2
  return 1
}

# Whether a function is to be deployed: every one, or only those named on the command line.
only=" $* "
wanted() { [[ "$only" == '  ' || "$only" == *" $1 "* ]]; }

# A double-quoted YAML string: backslashes, quotes and line breaks escaped, so any value stays one string.
yaml_string() {
  local v=${1//\\/\\\\}
  v=${v//\"/\\\"}
  v=${v//$'\n'/\\n}
  v=${v//$'\r'/\\r}
  v=${v//$'\t'/\\t}
  printf '"%s"' "$v"
}

# The functions' environment goes to a private file (mktemp: mode 600), removed however the script ends.
ENV_FILE="$(mktemp)"
trap 'rm -f "$ENV_FILE"' EXIT

functions=(
  health cors-preflight openapi docs docs-asset purge-expired
  diagnostics-echo diagnostics-inspect diagnostics-inspect-post diagnostics-binary diagnostics-stream auth-request-pin
  auth-confirm-signup auth-login auth-refresh auth-mobile-token auth-revoke auth-logout
  auth-me auth-request-password-reset auth-confirm-password-reset axly-request-pin axly-confirm-signup axly-login
  axly-request-password-reset-pin axly-confirm-password-reset axly-delete-account admin-dead-letters-list admin-dead-letters-replay admin-dead-letters-delete
  admin-dead-letters-purge admin-job-status admin-metrics wardrobe-process-image wardrobe-extract-clothing-metadata wardrobe-upload
  wardrobe-drafts-list wardrobe-drafts-accept wardrobe-drafts-retry wardrobe-drafts-stuck wardrobe-list wardrobe-create
  wardrobe-get wardrobe-replace wardrobe-delete wardrobe-wear wardrobe-wear-history wardrobe-styling-activity
  wardrobe-wear-suggestions wardrobe-wear-suggestion-update insights-vault wardrobe-chat wardrobe-chat-conversations-list wardrobe-chat-conversations-get
  wardrobe-chat-conversations-delete wardrobe-chat-memory-get wardrobe-chat-memory-put moods-list moods-get moods-seed
  wardrobe-taste-quiz wardrobe-taste-quiz-respond wardrobe-taste-quiz-complete wardrobe-digest-weekly wardrobe-digest-latest wardrobe-digest-history
  wardrobe-digest-feedback-list wardrobe-digest-feedback-send wardrobe-digest-run admin-digest-run wardrobe-scraper-items wardrobe-scraper-item-feedback
  wardrobe-scraper-sources wardrobe-scraper-suggest-source wardrobe-scraper-subscribe wardrobe-scraper-unsubscribe wardrobe-scraper-lease wardrobe-scraper-ingest-reddit
  admin-scraper-run admin-scraper-unban wardrobe-scraper-run-daily collections-list collections-create collections-get
  collections-update collections-delete collections-join collections-leave collections-add-item collections-remove-item
  profile-get profile-put profile-user-me stylist-recommendations discovery-search discovery-chat
  discovery-health garage-vehicles-list garage-vehicles-create garage-vehicles-get garage-vehicles-replace garage-vehicles-update
  garage-vehicles-delete garage-mods-list garage-mods-create garage-mods-update garage-mods-delete garage-services-list
  garage-services-create garage-services-update garage-services-delete garage-reminders-list garage-reminders-create garage-reminders-update
  garage-reminders-delete garage-vehicle-image-upload garage-vehicle-image-get garage-vehicle-image-delete garage-reminders-daily garage-conversations-list
  garage-conversation-get garage-conversation-delete garage-diagnose-legacy garage-diagnose-v2 capabilities-health capabilities-compress
  capabilities-plugins capabilities-run capabilities-submit-job capabilities-job-status voice-uploads-create voice-samples-get
  voice-process-upload voice-enrollment voice-voices-list voice-voices-get voice-voices-delete voice-training-monitor
  voice-cleanup voice-provider-webhook voice-synthesis voice-synthesis-get voice-synthesis-batch voice-synthesis-batch-get
  voice-webhooks-create voice-webhooks-list voice-webhooks-get voice-webhooks-delete voice-notifications jobs-system-jobs
  jobs-system-jobs-poison jobs-draft-jobs jobs-draft-jobs-poison jobs-taste-jobs jobs-taste-jobs-poison jobs-digest-jobs
  jobs-digest-jobs-poison jobs-scraper-jobs jobs-scraper-jobs-poison jobs-capabilities-jobs jobs-capabilities-jobs-poison jobs-capabilities-callbacks
  jobs-capabilities-callbacks-poison jobs-voice-enrollment jobs-voice-enrollment-poison jobs-voice-synthesis-short jobs-voice-synthesis-short-poison jobs-voice-synthesis-long
  jobs-voice-synthesis-long-poison jobs-voice-webhooks jobs-voice-webhooks-poison
)
for name in "$@"; do
  [[ " ${functions[*]} " == *" $name "* ]] || { echo "gcp/deploy.sh: no function named $name in the table" >&2; exit 2; }
done

passed=()
for name in \
  CORS_ALLOWED_ORIGINS LOG_LEVEL MAX_BODY_BYTES HEALTH_TIMEOUT_MS \
  AzureWebJobsStorage COSMOS_DB_ENDPOINT COSMOS_DB_KEY COSMOS_DB_DATABASE \
  JOB_LEASE_SECONDS RATE_LIMITING_ENABLED TRUSTED_PROXY_HOPS QUEUE_PROVIDER \
  BLOB_PROVIDER AWS_REGION SQS_QUEUE_NAME_PREFIX SQS_QUEUE_URL_PREFIX \
  AWS_ENDPOINT_URL_SQS AWS_ENDPOINT_URL_S3 S3_BUCKET_PREFIX S3_FORCE_PATH_STYLE \
  JWT_SECRET JWT_SECRET_PREVIOUS JWT_ISSUER JWT_AUDIENCE \
  JWT_ACCESS_TTL_SECONDS JWT_CLOCK_TOLERANCE_SECONDS AZURE_TENANT_ID AZURE_CLIENT_ID \
  OIDC_ISSUER OIDC_AUDIENCE OIDC_JWKS_URI OIDC_JWKS_TIMEOUT_MS \
  GOOGLE_CLIENT_IDS GOOGLE_JWKS_URI LOCAL_DEV_AUTH LOCAL_DEV_USER_ID \
  API_KEYS ADMIN_USER_IDS AZURE_OPENAI_ENDPOINT AZURE_OPENAI_API_KEY \
  AZURE_OPENAI_DEPLOYMENT AZURE_OPENAI_API_VERSION OPENAI_API_KEY OPENAI_BASE_URL \
  OPENAI_MODEL AI_TIMEOUT_MS AI_MAX_RETRIES OPENAI_TRANSCRIPTION_MODEL \
  AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT OPENAI_EMBEDDING_MODEL AZURE_OPENAI_EMBEDDING_DEPLOYMENT SEGMENTATION_ENDPOINT_URL \
  SEGMENTATION_SHARED_TOKEN SEGMENTATION_TIMEOUT_MS OTEL_SERVICE_NAME OTEL_TRACES_EXPORTER \
  OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_HEADERS OTEL_EXPORTER_OTLP_PROTOCOL OTEL_EXPORTER_OTLP_TRACES_ENDPOINT \
  OTEL_EXPORTER_OTLP_TRACES_HEADERS OTEL_EXPORTER_OTLP_TRACES_PROTOCOL OTEL_METRICS_EXPORTER OTEL_EXPORTER_OTLP_METRICS_ENDPOINT \
  OTEL_EXPORTER_OTLP_METRICS_HEADERS OTEL_EXPORTER_OTLP_METRICS_PROTOCOL OTEL_METRIC_EXPORT_INTERVAL LANGFUSE_PUBLIC_KEY \
  LANGFUSE_SECRET_KEY LANGFUSE_HOST LANGFUSE_BASE_URL PIN_LENGTH \
  PIN_EXP_MINUTES PIN_MAX_PER_HOUR PASSWORD_MIN_LENGTH PASSWORD_SCRYPT_LOG2N \
  REFRESH_TTL_DAYS REFRESH_GRACE_SECONDS SENDGRID_KEY EMAIL_FROM \
  PIN_USER_ROLES ARCHIVE_CONTAINER_NAME WARDROBE_IMAGES_CONTAINER_NAME WARDROBE_IMAGE_URL_TTL_SECONDS \
  WARDROBE_IMAGE_MAX_PIXELS METADATA_EXTRACT_AUTH_MODE METADATA_EXTRACT_API_KEY METADATA_EXTRACT_AZURE_AD_AUDIENCE \
  METADATA_EXTRACT_AZURE_AD_ISSUER DRAFT_STUCK_AFTER_MINUTES CHAT_MAX_MESSAGE_CHARS CHAT_MAX_OUTPUT_TOKENS \
  CHAT_PROMPT_TOKEN_BUDGET CHAT_HISTORY_TURNS CHAT_SUMMARY_MAX_ITEMS CHAT_MAX_STREAMS_PER_USER \
  CHAT_STREAM_MAX_SECONDS CHAT_HEARTBEAT_SECONDS TASTE_JOB_QUEUE_NAME TASTE_JOB_DEAD_LETTER_QUEUE_NAME \
  TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES COSMOS_DB_TASTE_JOBS_CONTAINER COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER WEEKLY_DIGEST_MAX_CONCURRENCY \
  SCRAPER_MAX_CONCURRENCY SCRAPER_TIMEOUT_MS SCRAPER_MAX_BYTES SCRAPER_MAX_REDIRECTS \
  SCRAPER_ALLOW_LOOPBACK SCRAPER_MAX_PRODUCTS_PER_RUN SCRAPER_REDDIT_SUBREDDITS DISCOVERY_AUTH \
  DISCOVERY_PROVIDERS DISCOVERY_SOURCE_TIMEOUT_MS DISCOVERY_DEADLINE_MS DISCOVERY_PRIMARY_CAP \
  DISCOVERY_NEARBY_CAP DISCOVERY_CACHE_MAX_ENTRIES DISCOVERY_SEARCH_TTL_SECONDS DISCOVERY_LOCATION_TTL_SECONDS \
  DISCOVERY_HEARTBEAT_SECONDS DISCOVERY_STREAM_MAX_SECONDS GEOAPIFY_API_KEY GEOAPIFY_BASE_URL \
  GOOGLE_MAPS_API_KEY GOOGLE_GEOCODING_BASE_URL SERPAPI_KEY SERPAPI_BASE_URL \
  EVENTBRITE_TOKEN EVENTBRITE_BASE_URL DISCOVERY_REDDIT REDDIT_BASE_URL \
  GARAGE_IMAGES_CONTAINER_NAME GARAGE_IMAGE_URL_TTL_SECONDS GARAGE_IMAGE_MAX_BYTES GARAGE_IMAGE_MAX_PIXELS \
  GARAGE_REMINDERS_PAGE_SIZE GARAGE_REMINDERS_MAX_PER_RUN DIAGNOSE_MAX_NEW_CONVERSATIONS_PER_MONTH DIAGNOSE_MAX_MESSAGES_PER_CONVERSATION \
  DIAGNOSE_HISTORY_MESSAGES DIAGNOSE_PROMPT_TOKEN_BUDGET DIAGNOSE_MAX_OUTPUT_TOKENS DIAGNOSE_MAX_QUESTION_CHARS \
  DIAGNOSE_MAX_IMAGE_BYTES DIAGNOSE_MAX_AUDIO_BYTES DIAGNOSE_IMAGE_MAX_PIXELS DIAGNOSE_STREAM_MAX_SECONDS \
  CAPABILITIES_PLUGINS_FILE CAPABILITIES_OUTPUT_CONTAINER CAPABILITIES_OUTPUT_PREFIX CAPABILITIES_PUBLIC_BASE_URL \
  CAPABILITIES_SIGNED_URL_TTL_SECONDS CAPABILITIES_ALLOW_LOOPBACK_URLS CAPABILITIES_FETCH_TIMEOUT_MS CAPABILITIES_FETCH_MAX_REDIRECTS \
  CAPABILITIES_SYNC_TIMEOUT_SECONDS CAPABILITIES_JOB_TIMEOUT_SECONDS CAPABILITIES_DAILY_QUOTA CAPABILITIES_KEY_QUOTAS \
  CAPABILITIES_WEBHOOK_SECRETS CAPABILITIES_RESULT_TTL_SECONDS R2_ACCOUNT_ID R2_ENDPOINT \
  R2_ACCESS_KEY_ID R2_SECRET_ACCESS_KEY R2_BUCKET_NAME R2_PUBLIC_URL \
  R2_FORCE_PATH_STYLE VOICE_PROVIDER VOICE_SAMPLES_CONTAINER VOICE_ARCHIVE_CONTAINER \
  VOICE_SYNTHESIS_CONTAINER VOICE_ENROLLMENT_QUEUE_NAME VOICE_SYNTHESIS_SHORT_QUEUE_NAME VOICE_SYNTHESIS_LONG_QUEUE_NAME \
  VOICE_WEBHOOK_QUEUE_NAME VOICE_SAMPLE_MIN_SECONDS VOICE_SAMPLE_MAX_SECONDS VOICE_UPLOAD_MAX_BYTES \
  VOICE_SAMPLE_MIN_RATE VOICE_SAMPLE_MAX_CHANNELS VOICE_TEXT_MAX_CHARS VOICE_SHORT_TEXT_MAX_CHARS \
  VOICE_BATCH_MAX_ITEMS VOICE_ENROLLMENT_MAX_SAMPLES VOICE_UPLOAD_URL_TTL_SECONDS VOICE_AUDIO_URL_TTL_SECONDS \
  VOICE_REJECTED_RETENTION_DAYS VOICE_SYNTHESIS_RETENTION_DAYS VOICE_UNUSED_SAMPLE_RETENTION_DAYS VOICE_TRAINING_TIMEOUT_MINUTES \
  VOICE_OFFLINE_TRAINING_TICKS VOICE_PROVIDER_TIMEOUT_MS AZURE_SPEECH_KEY AZURE_SPEECH_REGION \
  AZURE_SPEECH_ENDPOINT AZURE_SPEECH_BASE_MODEL AZURE_SPEECH_LOCALE AZURE_SPEECH_COMPANY_NAME \
  OPENAI_TTS_MODEL OPENAI_TTS_VOICES VOICE_WEBHOOKS_PER_USER VOICE_NOTIFICATION_RETENTION_DAYS \
  VOICE_WEBHOOKS_ALLOW_LOOPBACK VOICE_ORPHAN_GRACE_MINUTES VOICE_WEBHOOK_SECRETS SYSTEM_JOB_MAX_RETRIES \
  SYSTEM_JOB_BASE_BACKOFF_SECONDS SYSTEM_JOB_MAX_BACKOFF_SECONDS SYSTEM_JOB_JITTER_SECONDS SYSTEM_JOB_DEDUPE_TTL_SECONDS \
  SYSTEM_JOB_COMPLETED_TTL_SECONDS DRAFT_JOB_MAX_RETRIES DRAFT_JOB_BASE_BACKOFF_SECONDS DRAFT_JOB_MAX_BACKOFF_SECONDS \
  DRAFT_JOB_JITTER_SECONDS DRAFT_JOB_DEDUPE_TTL_SECONDS DRAFT_JOB_COMPLETED_TTL_SECONDS TASTE_JOB_MAX_RETRIES \
  TASTE_JOB_BASE_BACKOFF_SECONDS TASTE_JOB_MAX_BACKOFF_SECONDS TASTE_JOB_JITTER_SECONDS TASTE_JOB_DEDUPE_TTL_SECONDS \
  TASTE_JOB_COMPLETED_TTL_SECONDS DIGEST_JOB_MAX_RETRIES DIGEST_JOB_BASE_BACKOFF_SECONDS DIGEST_JOB_MAX_BACKOFF_SECONDS \
  DIGEST_JOB_JITTER_SECONDS DIGEST_JOB_DEDUPE_TTL_SECONDS DIGEST_JOB_COMPLETED_TTL_SECONDS SCRAPER_JOB_MAX_RETRIES \
  SCRAPER_JOB_BASE_BACKOFF_SECONDS SCRAPER_JOB_MAX_BACKOFF_SECONDS SCRAPER_JOB_JITTER_SECONDS SCRAPER_JOB_DEDUPE_TTL_SECONDS \
  SCRAPER_JOB_COMPLETED_TTL_SECONDS CAPABILITIES_JOB_MAX_RETRIES CAPABILITIES_JOB_BASE_BACKOFF_SECONDS CAPABILITIES_JOB_MAX_BACKOFF_SECONDS \
  CAPABILITIES_JOB_JITTER_SECONDS CAPABILITIES_JOB_DEDUPE_TTL_SECONDS CAPABILITIES_JOB_COMPLETED_TTL_SECONDS CAPABILITIES_CALLBACK_JOB_MAX_RETRIES \
  CAPABILITIES_CALLBACK_JOB_BASE_BACKOFF_SECONDS CAPABILITIES_CALLBACK_JOB_MAX_BACKOFF_SECONDS CAPABILITIES_CALLBACK_JOB_JITTER_SECONDS CAPABILITIES_CALLBACK_JOB_DEDUPE_TTL_SECONDS \
  CAPABILITIES_CALLBACK_JOB_COMPLETED_TTL_SECONDS VOICE_ENROLL_JOB_MAX_RETRIES VOICE_ENROLL_JOB_BASE_BACKOFF_SECONDS VOICE_ENROLL_JOB_MAX_BACKOFF_SECONDS \
  VOICE_ENROLL_JOB_JITTER_SECONDS VOICE_ENROLL_JOB_DEDUPE_TTL_SECONDS VOICE_ENROLL_JOB_COMPLETED_TTL_SECONDS VOICE_SYNTHESIS_JOB_MAX_RETRIES \
  VOICE_SYNTHESIS_JOB_BASE_BACKOFF_SECONDS VOICE_SYNTHESIS_JOB_MAX_BACKOFF_SECONDS VOICE_SYNTHESIS_JOB_JITTER_SECONDS VOICE_SYNTHESIS_JOB_DEDUPE_TTL_SECONDS \
  VOICE_SYNTHESIS_JOB_COMPLETED_TTL_SECONDS VOICE_SYNTHESIS_LONG_JOB_MAX_RETRIES VOICE_SYNTHESIS_LONG_JOB_BASE_BACKOFF_SECONDS VOICE_SYNTHESIS_LONG_JOB_MAX_BACKOFF_SECONDS \
  VOICE_SYNTHESIS_LONG_JOB_JITTER_SECONDS VOICE_SYNTHESIS_LONG_JOB_DEDUPE_TTL_SECONDS VOICE_SYNTHESIS_LONG_JOB_COMPLETED_TTL_SECONDS VOICE_WEBHOOK_JOB_MAX_RETRIES \
  VOICE_WEBHOOK_JOB_BASE_BACKOFF_SECONDS VOICE_WEBHOOK_JOB_MAX_BACKOFF_SECONDS VOICE_WEBHOOK_JOB_JITTER_SECONDS VOICE_WEBHOOK_JOB_DEDUPE_TTL_SECONDS \
  VOICE_WEBHOOK_JOB_COMPLETED_TTL_SECONDS RATE_LIMIT_DEFAULT RATE_LIMIT_SYNTHESIS RATE_LIMIT_TRAINING \
  RATE_LIMIT_SCRAPER RATE_LIMIT_DISCOVERY RATE_LIMIT_CAPABILITIES RATE_LIMIT_AUTH \
  RATE_LIMIT_CREDENTIAL_EMAIL_ADDRESS RATE_LIMIT_CREDENTIAL_EMAIL RATE_LIMIT_CREDENTIAL_ADDRESS \
; do
  if [[ -n "${!name+set}" ]]; then
    printf '%s: %s\n' "$name" "$(yaml_string "${!name}")" >>"$ENV_FILE"
    passed+=("$name")
  fi
done
((${#passed[@]})) || echo '{}' >"$ENV_FILE"
echo "Passing ${#passed[@]} settings from this shell: ${passed[*]}"

echo "Enabling the services and creating the triggers' topics and buckets in $PROJECT ($REGION)"
gcloud services enable cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com \
  eventarc.googleapis.com pubsub.googleapis.com cloudscheduler.googleapis.com storage.googleapis.com \
  apigateway.googleapis.com servicemanagement.googleapis.com servicecontrol.googleapis.com
ensure gcloud pubsub topics create system-jobs
ensure gcloud pubsub topics create system-jobs-poison
ensure gcloud pubsub topics create draft-jobs
ensure gcloud pubsub topics create draft-jobs-poison
ensure gcloud pubsub topics create taste-jobs
ensure gcloud pubsub topics create taste-jobs-poison
ensure gcloud pubsub topics create digest-jobs
ensure gcloud pubsub topics create digest-jobs-poison
ensure gcloud pubsub topics create scraper-jobs
ensure gcloud pubsub topics create scraper-jobs-poison
ensure gcloud pubsub topics create capabilities-jobs
ensure gcloud pubsub topics create capabilities-jobs-poison
ensure gcloud pubsub topics create capabilities-callbacks
ensure gcloud pubsub topics create capabilities-callbacks-poison
ensure gcloud pubsub topics create voice-enrollment
ensure gcloud pubsub topics create voice-enrollment-poison
ensure gcloud pubsub topics create voice-synthesis-short
ensure gcloud pubsub topics create voice-synthesis-short-poison
ensure gcloud pubsub topics create voice-synthesis-long
ensure gcloud pubsub topics create voice-synthesis-long-poison
ensure gcloud pubsub topics create voice-webhooks
ensure gcloud pubsub topics create voice-webhooks-poison
ensure gcloud pubsub topics create timer-purge-expired
ensure gcloud pubsub topics create timer-wardrobe-drafts-stuck
ensure gcloud pubsub topics create timer-wardrobe-digest-weekly
ensure gcloud pubsub topics create timer-wardrobe-scraper-run-daily
ensure gcloud pubsub topics create timer-garage-reminders-daily
ensure gcloud pubsub topics create timer-voice-training-monitor
ensure gcloud pubsub topics create timer-voice-cleanup
ensure gcloud pubsub topics create timer-voice-notifications
ensure gcloud storage buckets create "gs://$BUCKET_PREFIX"voice-uploads --location="$REGION" --uniform-bucket-level-access
# Cloud Storage publishes its object events through Pub/Sub, as its own service agent.
gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$(gcloud storage service-agent)" \
  --role=roles/pubsub.publisher --condition=None >/dev/null

# The Pub/Sub subscription Eventarc made for a function's trigger (named by its eventTrigger, as the v2 API writes it).
subscription_of() {
  local trigger
  trigger="$(gcloud functions describe "$1" --v2 --region="$REGION" --format='value(eventTrigger.trigger)')"
  gcloud eventarc triggers describe "$trigger" --format='value(transport.pubsub.subscription)'
}
# After host.json's maxDequeueCount deliveries, Pub/Sub moves a message to <queue>-poison, where the
# table's poison collector consumes it (Azure's poison queue, SQS's redrive policy); retries back off
# from host.json's visibility timeout (Azure's delay before a retry) to Pub/Sub's 600 s ceiling.
# Pub/Sub's service agent must be able to publish to the dead-letter topic and to take from the subscription.
dead_letter() {
  local subscription agent
  subscription="$(subscription_of "$1")"
  agent="serviceAccount:service-$(gcloud projects describe "$PROJECT" --format='value(projectNumber)')@gcp-sa-pubsub.iam.gserviceaccount.com"
  gcloud pubsub subscriptions update "$subscription" --dead-letter-topic="$2" --max-delivery-attempts=5 \
    --min-retry-delay=30s --max-retry-delay=600s
  gcloud pubsub topics add-iam-policy-binding "$2" --member="$agent" --role=roles/pubsub.publisher >/dev/null
  gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --member="$agent" --role=roles/pubsub.subscriber >/dev/null
}
# A timer: a Cloud Scheduler job (named as its topic) publishing an empty message to the topic, in UTC as NCRONTAB is.
schedule() {
  local verb=create
  gcloud scheduler jobs describe "$1" --location="$REGION" >/dev/null 2>&1 && verb=update
  gcloud scheduler jobs "$verb" pubsub "$1" --location="$REGION" --topic="$1" --schedule="$2" \
    --time-zone=Etc/UTC --message-body='{}'
}

if wanted health; then
  gcloud functions deploy health --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=health \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted cors-preflight; then
  gcloud functions deploy cors-preflight --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=cors-preflight \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted openapi; then
  gcloud functions deploy openapi --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=openapi \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted docs; then
  gcloud functions deploy docs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=docs \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted docs-asset; then
  gcloud functions deploy docs-asset --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=docs-asset \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted purge-expired; then
  gcloud functions deploy purge-expired --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=purge-expired \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-purge-expired
  schedule timer-purge-expired '0 * * * *'
fi

if wanted diagnostics-echo; then
  gcloud functions deploy diagnostics-echo --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=diagnostics-echo \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted diagnostics-inspect; then
  gcloud functions deploy diagnostics-inspect --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=diagnostics-inspect \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted diagnostics-inspect-post; then
  gcloud functions deploy diagnostics-inspect-post --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=diagnostics-inspect-post \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted diagnostics-binary; then
  gcloud functions deploy diagnostics-binary --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=diagnostics-binary \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted diagnostics-stream; then
  gcloud functions deploy diagnostics-stream --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=diagnostics-stream \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-request-pin; then
  gcloud functions deploy auth-request-pin --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-request-pin \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-confirm-signup; then
  gcloud functions deploy auth-confirm-signup --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-confirm-signup \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-login; then
  gcloud functions deploy auth-login --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-login \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-refresh; then
  gcloud functions deploy auth-refresh --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-refresh \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-mobile-token; then
  gcloud functions deploy auth-mobile-token --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-mobile-token \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-revoke; then
  gcloud functions deploy auth-revoke --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-revoke \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-logout; then
  gcloud functions deploy auth-logout --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-logout \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-me; then
  gcloud functions deploy auth-me --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-me \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-request-password-reset; then
  gcloud functions deploy auth-request-password-reset --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-request-password-reset \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted auth-confirm-password-reset; then
  gcloud functions deploy auth-confirm-password-reset --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=auth-confirm-password-reset \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted axly-request-pin; then
  gcloud functions deploy axly-request-pin --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=axly-request-pin \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted axly-confirm-signup; then
  gcloud functions deploy axly-confirm-signup --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=axly-confirm-signup \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted axly-login; then
  gcloud functions deploy axly-login --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=axly-login \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted axly-request-password-reset-pin; then
  gcloud functions deploy axly-request-password-reset-pin --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=axly-request-password-reset-pin \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted axly-confirm-password-reset; then
  gcloud functions deploy axly-confirm-password-reset --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=axly-confirm-password-reset \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted axly-delete-account; then
  gcloud functions deploy axly-delete-account --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=axly-delete-account \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-dead-letters-list; then
  gcloud functions deploy admin-dead-letters-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-dead-letters-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-dead-letters-replay; then
  gcloud functions deploy admin-dead-letters-replay --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-dead-letters-replay \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-dead-letters-delete; then
  gcloud functions deploy admin-dead-letters-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-dead-letters-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-dead-letters-purge; then
  gcloud functions deploy admin-dead-letters-purge --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-dead-letters-purge \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-job-status; then
  gcloud functions deploy admin-job-status --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-job-status \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-metrics; then
  gcloud functions deploy admin-metrics --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-metrics \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-process-image; then
  gcloud functions deploy wardrobe-process-image --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-process-image \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-extract-clothing-metadata; then
  gcloud functions deploy wardrobe-extract-clothing-metadata --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-extract-clothing-metadata \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-upload; then
  gcloud functions deploy wardrobe-upload --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-upload \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-drafts-list; then
  gcloud functions deploy wardrobe-drafts-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-drafts-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-drafts-accept; then
  gcloud functions deploy wardrobe-drafts-accept --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-drafts-accept \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-drafts-retry; then
  gcloud functions deploy wardrobe-drafts-retry --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-drafts-retry \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-drafts-stuck; then
  gcloud functions deploy wardrobe-drafts-stuck --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-drafts-stuck \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-wardrobe-drafts-stuck
  schedule timer-wardrobe-drafts-stuck '*/15 * * * *'
fi

if wanted wardrobe-list; then
  gcloud functions deploy wardrobe-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-create; then
  gcloud functions deploy wardrobe-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-get; then
  gcloud functions deploy wardrobe-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-replace; then
  gcloud functions deploy wardrobe-replace --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-replace \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-delete; then
  gcloud functions deploy wardrobe-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-wear; then
  gcloud functions deploy wardrobe-wear --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-wear \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-wear-history; then
  gcloud functions deploy wardrobe-wear-history --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-wear-history \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-styling-activity; then
  gcloud functions deploy wardrobe-styling-activity --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-styling-activity \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-wear-suggestions; then
  gcloud functions deploy wardrobe-wear-suggestions --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-wear-suggestions \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-wear-suggestion-update; then
  gcloud functions deploy wardrobe-wear-suggestion-update --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-wear-suggestion-update \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted insights-vault; then
  gcloud functions deploy insights-vault --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=insights-vault \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-chat; then
  gcloud functions deploy wardrobe-chat --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-chat \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-chat-conversations-list; then
  gcloud functions deploy wardrobe-chat-conversations-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-chat-conversations-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-chat-conversations-get; then
  gcloud functions deploy wardrobe-chat-conversations-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-chat-conversations-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-chat-conversations-delete; then
  gcloud functions deploy wardrobe-chat-conversations-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-chat-conversations-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-chat-memory-get; then
  gcloud functions deploy wardrobe-chat-memory-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-chat-memory-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-chat-memory-put; then
  gcloud functions deploy wardrobe-chat-memory-put --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-chat-memory-put \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted moods-list; then
  gcloud functions deploy moods-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=moods-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted moods-get; then
  gcloud functions deploy moods-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=moods-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted moods-seed; then
  gcloud functions deploy moods-seed --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=moods-seed \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-taste-quiz; then
  gcloud functions deploy wardrobe-taste-quiz --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-taste-quiz \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-taste-quiz-respond; then
  gcloud functions deploy wardrobe-taste-quiz-respond --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-taste-quiz-respond \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-taste-quiz-complete; then
  gcloud functions deploy wardrobe-taste-quiz-complete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-taste-quiz-complete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-digest-weekly; then
  gcloud functions deploy wardrobe-digest-weekly --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-digest-weekly \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-wardrobe-digest-weekly
  schedule timer-wardrobe-digest-weekly '0 6 * * 1'
fi

if wanted wardrobe-digest-latest; then
  gcloud functions deploy wardrobe-digest-latest --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-digest-latest \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-digest-history; then
  gcloud functions deploy wardrobe-digest-history --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-digest-history \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-digest-feedback-list; then
  gcloud functions deploy wardrobe-digest-feedback-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-digest-feedback-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-digest-feedback-send; then
  gcloud functions deploy wardrobe-digest-feedback-send --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-digest-feedback-send \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-digest-run; then
  gcloud functions deploy wardrobe-digest-run --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-digest-run \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-digest-run; then
  gcloud functions deploy admin-digest-run --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-digest-run \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-items; then
  gcloud functions deploy wardrobe-scraper-items --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-items \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-item-feedback; then
  gcloud functions deploy wardrobe-scraper-item-feedback --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-item-feedback \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-sources; then
  gcloud functions deploy wardrobe-scraper-sources --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-sources \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-suggest-source; then
  gcloud functions deploy wardrobe-scraper-suggest-source --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-suggest-source \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-subscribe; then
  gcloud functions deploy wardrobe-scraper-subscribe --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-subscribe \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-unsubscribe; then
  gcloud functions deploy wardrobe-scraper-unsubscribe --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-unsubscribe \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-lease; then
  gcloud functions deploy wardrobe-scraper-lease --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-lease \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-ingest-reddit; then
  gcloud functions deploy wardrobe-scraper-ingest-reddit --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-ingest-reddit \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-scraper-run; then
  gcloud functions deploy admin-scraper-run --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-scraper-run \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted admin-scraper-unban; then
  gcloud functions deploy admin-scraper-unban --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=admin-scraper-unban \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted wardrobe-scraper-run-daily; then
  gcloud functions deploy wardrobe-scraper-run-daily --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=wardrobe-scraper-run-daily \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-wardrobe-scraper-run-daily
  schedule timer-wardrobe-scraper-run-daily '0 4 * * *'
fi

if wanted collections-list; then
  gcloud functions deploy collections-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-create; then
  gcloud functions deploy collections-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-get; then
  gcloud functions deploy collections-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-update; then
  gcloud functions deploy collections-update --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-update \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-delete; then
  gcloud functions deploy collections-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-join; then
  gcloud functions deploy collections-join --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-join \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-leave; then
  gcloud functions deploy collections-leave --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-leave \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-add-item; then
  gcloud functions deploy collections-add-item --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-add-item \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted collections-remove-item; then
  gcloud functions deploy collections-remove-item --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=collections-remove-item \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted profile-get; then
  gcloud functions deploy profile-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=profile-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted profile-put; then
  gcloud functions deploy profile-put --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=profile-put \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted profile-user-me; then
  gcloud functions deploy profile-user-me --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=profile-user-me \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted stylist-recommendations; then
  gcloud functions deploy stylist-recommendations --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=stylist-recommendations \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted discovery-search; then
  gcloud functions deploy discovery-search --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=discovery-search \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted discovery-chat; then
  gcloud functions deploy discovery-chat --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=discovery-chat \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted discovery-health; then
  gcloud functions deploy discovery-health --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=discovery-health \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicles-list; then
  gcloud functions deploy garage-vehicles-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicles-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicles-create; then
  gcloud functions deploy garage-vehicles-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicles-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicles-get; then
  gcloud functions deploy garage-vehicles-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicles-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicles-replace; then
  gcloud functions deploy garage-vehicles-replace --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicles-replace \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicles-update; then
  gcloud functions deploy garage-vehicles-update --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicles-update \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicles-delete; then
  gcloud functions deploy garage-vehicles-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicles-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-mods-list; then
  gcloud functions deploy garage-mods-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-mods-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-mods-create; then
  gcloud functions deploy garage-mods-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-mods-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-mods-update; then
  gcloud functions deploy garage-mods-update --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-mods-update \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-mods-delete; then
  gcloud functions deploy garage-mods-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-mods-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-services-list; then
  gcloud functions deploy garage-services-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-services-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-services-create; then
  gcloud functions deploy garage-services-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-services-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-services-update; then
  gcloud functions deploy garage-services-update --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-services-update \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-services-delete; then
  gcloud functions deploy garage-services-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-services-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-reminders-list; then
  gcloud functions deploy garage-reminders-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-reminders-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-reminders-create; then
  gcloud functions deploy garage-reminders-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-reminders-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-reminders-update; then
  gcloud functions deploy garage-reminders-update --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-reminders-update \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-reminders-delete; then
  gcloud functions deploy garage-reminders-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-reminders-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicle-image-upload; then
  gcloud functions deploy garage-vehicle-image-upload --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicle-image-upload \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicle-image-get; then
  gcloud functions deploy garage-vehicle-image-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicle-image-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-vehicle-image-delete; then
  gcloud functions deploy garage-vehicle-image-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-vehicle-image-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-reminders-daily; then
  gcloud functions deploy garage-reminders-daily --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-reminders-daily \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-garage-reminders-daily
  schedule timer-garage-reminders-daily '0 7 * * *'
fi

if wanted garage-conversations-list; then
  gcloud functions deploy garage-conversations-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-conversations-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-conversation-get; then
  gcloud functions deploy garage-conversation-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-conversation-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-conversation-delete; then
  gcloud functions deploy garage-conversation-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-conversation-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-diagnose-legacy; then
  gcloud functions deploy garage-diagnose-legacy --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-diagnose-legacy \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted garage-diagnose-v2; then
  gcloud functions deploy garage-diagnose-v2 --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=garage-diagnose-v2 \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted capabilities-health; then
  gcloud functions deploy capabilities-health --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=capabilities-health \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted capabilities-compress; then
  gcloud functions deploy capabilities-compress --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=capabilities-compress \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted capabilities-plugins; then
  gcloud functions deploy capabilities-plugins --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=capabilities-plugins \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted capabilities-run; then
  gcloud functions deploy capabilities-run --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=capabilities-run \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted capabilities-submit-job; then
  gcloud functions deploy capabilities-submit-job --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=capabilities-submit-job \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted capabilities-job-status; then
  gcloud functions deploy capabilities-job-status --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=capabilities-job-status \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-uploads-create; then
  gcloud functions deploy voice-uploads-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-uploads-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-samples-get; then
  gcloud functions deploy voice-samples-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-samples-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-process-upload; then
  gcloud functions deploy voice-process-upload --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-process-upload \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-event-filters=type=google.cloud.storage.object.v1.finalized --trigger-event-filters=bucket="$BUCKET_PREFIX"voice-uploads --trigger-location="$REGION" --retry
fi

if wanted voice-enrollment; then
  gcloud functions deploy voice-enrollment --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-enrollment \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-voices-list; then
  gcloud functions deploy voice-voices-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-voices-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-voices-get; then
  gcloud functions deploy voice-voices-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-voices-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-voices-delete; then
  gcloud functions deploy voice-voices-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-voices-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-training-monitor; then
  gcloud functions deploy voice-training-monitor --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-training-monitor \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-voice-training-monitor
  schedule timer-voice-training-monitor '* * * * *'
fi

if wanted voice-cleanup; then
  gcloud functions deploy voice-cleanup --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-cleanup \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-voice-cleanup
  schedule timer-voice-cleanup '17 * * * *'
fi

if wanted voice-provider-webhook; then
  gcloud functions deploy voice-provider-webhook --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-provider-webhook \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-synthesis; then
  gcloud functions deploy voice-synthesis --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-synthesis \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-synthesis-get; then
  gcloud functions deploy voice-synthesis-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-synthesis-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-synthesis-batch; then
  gcloud functions deploy voice-synthesis-batch --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-synthesis-batch \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-synthesis-batch-get; then
  gcloud functions deploy voice-synthesis-batch-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-synthesis-batch-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-webhooks-create; then
  gcloud functions deploy voice-webhooks-create --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-webhooks-create \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-webhooks-list; then
  gcloud functions deploy voice-webhooks-list --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-webhooks-list \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-webhooks-get; then
  gcloud functions deploy voice-webhooks-get --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-webhooks-get \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-webhooks-delete; then
  gcloud functions deploy voice-webhooks-delete --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-webhooks-delete \
    --memory=1024Mi --timeout=230s --env-vars-file="$ENV_FILE" \
    --trigger-http --allow-unauthenticated
fi

if wanted voice-notifications; then
  gcloud functions deploy voice-notifications --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=voice-notifications \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=timer-voice-notifications
  schedule timer-voice-notifications '* * * * *'
fi

if wanted jobs-system-jobs; then
  gcloud functions deploy jobs-system-jobs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-system-jobs \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=system-jobs --retry
  dead_letter jobs-system-jobs system-jobs-poison
fi

if wanted jobs-system-jobs-poison; then
  gcloud functions deploy jobs-system-jobs-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-system-jobs-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=system-jobs-poison --retry
fi

if wanted jobs-draft-jobs; then
  gcloud functions deploy jobs-draft-jobs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-draft-jobs \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=draft-jobs --retry
  dead_letter jobs-draft-jobs draft-jobs-poison
fi

if wanted jobs-draft-jobs-poison; then
  gcloud functions deploy jobs-draft-jobs-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-draft-jobs-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=draft-jobs-poison --retry
fi

if wanted jobs-taste-jobs; then
  gcloud functions deploy jobs-taste-jobs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-taste-jobs \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=taste-jobs --retry
  dead_letter jobs-taste-jobs taste-jobs-poison
fi

if wanted jobs-taste-jobs-poison; then
  gcloud functions deploy jobs-taste-jobs-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-taste-jobs-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=taste-jobs-poison --retry
fi

if wanted jobs-digest-jobs; then
  gcloud functions deploy jobs-digest-jobs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-digest-jobs \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=digest-jobs --retry
  dead_letter jobs-digest-jobs digest-jobs-poison
fi

if wanted jobs-digest-jobs-poison; then
  gcloud functions deploy jobs-digest-jobs-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-digest-jobs-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=digest-jobs-poison --retry
fi

if wanted jobs-scraper-jobs; then
  gcloud functions deploy jobs-scraper-jobs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-scraper-jobs \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=scraper-jobs --retry
  dead_letter jobs-scraper-jobs scraper-jobs-poison
fi

if wanted jobs-scraper-jobs-poison; then
  gcloud functions deploy jobs-scraper-jobs-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-scraper-jobs-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=scraper-jobs-poison --retry
fi

if wanted jobs-capabilities-jobs; then
  gcloud functions deploy jobs-capabilities-jobs --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-capabilities-jobs \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=capabilities-jobs --retry
  dead_letter jobs-capabilities-jobs capabilities-jobs-poison
fi

if wanted jobs-capabilities-jobs-poison; then
  gcloud functions deploy jobs-capabilities-jobs-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-capabilities-jobs-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=capabilities-jobs-poison --retry
fi

if wanted jobs-capabilities-callbacks; then
  gcloud functions deploy jobs-capabilities-callbacks --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-capabilities-callbacks \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=capabilities-callbacks --retry
  dead_letter jobs-capabilities-callbacks capabilities-callbacks-poison
fi

if wanted jobs-capabilities-callbacks-poison; then
  gcloud functions deploy jobs-capabilities-callbacks-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-capabilities-callbacks-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=capabilities-callbacks-poison --retry
fi

if wanted jobs-voice-enrollment; then
  gcloud functions deploy jobs-voice-enrollment --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-enrollment \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-enrollment --retry
  dead_letter jobs-voice-enrollment voice-enrollment-poison
fi

if wanted jobs-voice-enrollment-poison; then
  gcloud functions deploy jobs-voice-enrollment-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-enrollment-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-enrollment-poison --retry
fi

if wanted jobs-voice-synthesis-short; then
  gcloud functions deploy jobs-voice-synthesis-short --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-synthesis-short \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-synthesis-short --retry
  dead_letter jobs-voice-synthesis-short voice-synthesis-short-poison
fi

if wanted jobs-voice-synthesis-short-poison; then
  gcloud functions deploy jobs-voice-synthesis-short-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-synthesis-short-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-synthesis-short-poison --retry
fi

if wanted jobs-voice-synthesis-long; then
  gcloud functions deploy jobs-voice-synthesis-long --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-synthesis-long \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-synthesis-long --retry
  dead_letter jobs-voice-synthesis-long voice-synthesis-long-poison
fi

if wanted jobs-voice-synthesis-long-poison; then
  gcloud functions deploy jobs-voice-synthesis-long-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-synthesis-long-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-synthesis-long-poison --retry
fi

if wanted jobs-voice-webhooks; then
  gcloud functions deploy jobs-voice-webhooks --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-webhooks \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-webhooks --retry
  dead_letter jobs-voice-webhooks voice-webhooks-poison
fi

if wanted jobs-voice-webhooks-poison; then
  gcloud functions deploy jobs-voice-webhooks-poison --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=jobs-voice-webhooks-poison \
    --memory=1024Mi --timeout=300s --env-vars-file="$ENV_FILE" \
    --trigger-topic=voice-webhooks-poison --retry
fi

if [[ "$only" == '  ' ]]; then
  echo "Publishing the API through API Gateway"
  gateway_spec="$(mktemp)"
  trap 'rm -f "$ENV_FILE" "$gateway_spec"' EXIT
  sed -e "s/\${REGION}/$REGION/g" -e "s/\${PROJECT}/$PROJECT/g" "$(dirname "$0")/api-gateway.json" >"$gateway_spec"
  ensure gcloud api-gateway apis create portico
  config="portico-$(date -u +%Y%m%d%H%M%S)"
  gcloud api-gateway api-configs create "$config" --api=portico --openapi-spec="$gateway_spec"
  verb=create
  gcloud api-gateway gateways describe portico --location="$REGION" >/dev/null 2>&1 && verb=update
  gcloud api-gateway gateways "$verb" portico --api=portico --api-config="$config" --location="$REGION"
  echo "The API: https://$(gcloud api-gateway gateways describe portico --location="$REGION" --format='value(defaultHostname)')/api/"
else
  echo "Only some functions were deployed: API Gateway is left as it was (run without names to publish it)."
fi
