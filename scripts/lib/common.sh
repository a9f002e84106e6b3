# Shared by deploy.sh, teardown.sh and publish-routes.sh. Sourced, not run.
# DRY_RUN=1 prints every AWS-changing command instead of running it (and needs no credentials).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AWS_CLI="${AWS_CLI:-aws}"
cd "$ROOT"
SLS=(node "$ROOT/node_modules/osls/bin/serverless.js")
export SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off

die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*"; }

# Runs a command, or prints it under DRY_RUN=1.
run() {
  if [[ "${DRY_RUN:-0}" == 1 ]]; then echo "[dry-run] $*" >&2; else "$@"; fi
}

# Prints a field of stages/<stage>.yml (lists space-separated), e.g. `stage_field prod regions`.
stage_field() {
  node -e '
    const { parse } = require("yaml");
    const config = parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const value = process.argv[2].split(".").reduce((node, key) => (node == null ? node : node[key]), config);
    if (value === undefined) { console.error(`${process.argv[1]} has no ${process.argv[2]}`); process.exit(1); }
    console.log(Array.isArray(value) ? value.join(" ") : String(value));
  ' "$ROOT/stages/$STAGE.yml" "$1"
}

# Loads STAGE, REGIONS, PRIMARY and OTHERS (the non-primary regions, in stage-file order).
load_stage() {
  STAGE="${1:-}"
  [[ -n "$STAGE" ]] || die "name the stage, e.g. prod (a file stages/<stage>.yml)"
  [[ -f "$ROOT/stages/$STAGE.yml" ]] || die "no stages/$STAGE.yml; create it from stages/prod.yml"
  read -r -a REGIONS <<<"$(stage_field regions)"
  PRIMARY="$(stage_field primaryRegion)"
  OTHERS=()
  for region in "${REGIONS[@]}"; do [[ "$region" == "$PRIMARY" ]] || OTHERS+=("$region"); done
}

require_credentials() {
  [[ "${DRY_RUN:-0}" == 1 ]] && return 0
  command -v "$AWS_CLI" >/dev/null || die "the AWS CLI ($AWS_CLI) is not installed; install it or set AWS_CLI=/path/to/aws"
  "$AWS_CLI" sts get-caller-identity --output text --query Arn >/dev/null 2>&1 \
    || die "no AWS credentials: export AWS_PROFILE (or keys) for the target account, then retry"
}

# Prints the stage's deploy plan (scripts/deploy-plan.ts): `stacks` or `tables`, one item per line.
deploy_plan() {
  node "$ROOT/node_modules/tsx/dist/cli.mjs" "$ROOT/scripts/deploy-plan.ts" "$STAGE" "$1"
}

# The stream of a zone inbox's replica in a region: what route's event source mapping reads there.
# Waits for the replica first: the owning stack finishes when every replica is ACTIVE, but a stack
# that was already up to date may have left one still creating.
inbox_stream_arn() {
  local region="$1" zone="$2" table="switchyard-$STAGE-$2-inbox" arn
  if [[ "${DRY_RUN:-0}" == 1 ]]; then echo "arn:aws:dynamodb:$region:000000000000:table/$table/stream/dry-run"; return; fi
  "$AWS_CLI" dynamodb wait table-exists --region "$region" --table-name "$table" \
    || die "$table has no replica in $region: deploy the stack that owns it first (npx tsx scripts/deploy-plan.ts $STAGE tables)"
  arn="$("$AWS_CLI" dynamodb describe-table --region "$region" --table-name "$table" --query Table.LatestStreamArn --output text 2>/dev/null || true)"
  [[ "$arn" == arn:* ]] || die "$table has no stream in $region yet; its owning stack must deploy first"
  echo "$arn"
}

# `zone=arn;zone=arn` for the zones given, in a region: the value of --param=inboxStreams.
inbox_streams_param() {
  local region="$1" zone value=""
  shift
  for zone in "$@"; do value+="${value:+;}$zone=$(inbox_stream_arn "$region" "$zone")"; done
  echo "$value"
}
