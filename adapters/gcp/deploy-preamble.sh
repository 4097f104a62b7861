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
