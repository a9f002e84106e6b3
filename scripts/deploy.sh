#!/usr/bin/env bash
# Deploys a stage to all its regions, in the only order CloudFormation allows:
#   1. keys     every region: the data key (serverless.keys.yml), which every replica needs first
#   2. primary  the app stack that owns the global tables; it creates every region's replica
#   3. others   each remaining region's app stack, given its replica's inbox stream ARN
#   4. routes   optionally, publish (and activate) a routes catalog through the admin function
# Usage: scripts/deploy.sh <stage> [--routes <catalog.yml>] [--activate]
#        DRY_RUN=1 scripts/deploy.sh prod     # print the plan, touch nothing, need no credentials
# Re-running is safe: each step is an idempotent CloudFormation update. See docs/deploy.md.
source "$(dirname "$0")/lib/common.sh"

load_stage "${1:-}"
shift || true
ROUTES="" ACTIVATE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --routes) ROUTES="${2:-}"; [[ -f "$ROUTES" ]] || die "--routes needs a catalog file, got '${ROUTES}'"; shift 2 ;;
    --activate) ACTIVATE="--activate"; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done
require_credentials

log "$STAGE: regions ${REGIONS[*]}; primary $PRIMARY"

log "1/4 data keys"
for region in "${REGIONS[@]}"; do
  run "${SLS[@]}" deploy -c serverless.keys.yml --stage "$STAGE" --region "$region"
done

log "2/4 primary region $PRIMARY (global tables and their replicas)"
run "${SLS[@]}" deploy --stage "$STAGE" --region "$PRIMARY"

# The GlobalTable resource finishes when every replica is ACTIVE; waiting again costs nothing
# and covers a primary stack that was already up to date while a replica was still creating.
for region in "${OTHERS[@]}"; do
  for table in inbox ledger control quarantine; do
    run "$AWS_CLI" dynamodb wait table-exists --region "$region" --table-name "switchyard-$STAGE-$table"
  done
done

log "3/4 other regions: ${OTHERS[*]:-(none)}"
for region in "${OTHERS[@]}"; do
  stream="$(inbox_stream_arn "$region")"
  run "${SLS[@]}" deploy --stage "$STAGE" --region "$region" --param="inboxStreamArn=$stream"
done

if [[ -n "$ROUTES" ]]; then
  log "4/4 routes catalog $ROUTES"
  "$(dirname "$0")/publish-routes.sh" "$STAGE" "$ROUTES" $ACTIVATE
else
  log "4/4 routes catalog: skipped (pass --routes <catalog.yml>, or run scripts/publish-routes.sh later)"
fi
log "$STAGE deployed to ${REGIONS[*]}"
