#!/usr/bin/env bash
# Removes a stage, in the reverse of the deploy order:
#   1. other regions' app stacks (their stream mappings read the replicas)
#   2. the primary app stack; the global tables are kept (DeletionPolicy: Retain)
#   3. --delete-data: the tables themselves (deletion protection off, replicas, then the table)
#   4. --delete-keys: the key stacks, and the keys scheduled for deletion (30 days, cancellable)
# Usage: scripts/teardown.sh <stage> [--delete-data] [--delete-keys] [--confirm <stage>]
# A stage with deletionProtection: true needs --confirm <stage> for --delete-data/--delete-keys.
# Without --delete-data, a later deploy fails on the existing tables: delete or import them first.
source "$(dirname "$0")/lib/common.sh"

load_stage "${1:-}"
shift || true
DELETE_DATA=0 DELETE_KEYS=0 CONFIRM=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --delete-data) DELETE_DATA=1; shift ;;
    --delete-keys) DELETE_KEYS=1; shift ;;
    --confirm) CONFIRM="${2:-}"; shift 2 ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done
if [[ "$(stage_field deletionProtection)" == true && $((DELETE_DATA + DELETE_KEYS)) -gt 0 && "$CONFIRM" != "$STAGE" ]]; then
  die "$STAGE is deletion-protected; deleting its data or keys needs --confirm $STAGE"
fi
if [[ $DELETE_KEYS == 1 && $DELETE_DATA == 0 ]]; then
  die "--delete-keys without --delete-data would leave tables and backups encrypted with keys pending deletion"
fi
require_credentials
TABLES=(inbox ledger control quarantine)

log "1/4 app stacks in ${OTHERS[*]:-(no other regions)}"
for region in "${OTHERS[@]}"; do
  # serverless resolves the config to remove a stack; any stream ARN of the right shape will do.
  run "${SLS[@]}" remove --stage "$STAGE" --region "$region" \
    --param="inboxStreamArn=arn:aws:dynamodb:$region:000000000000:table/switchyard-$STAGE-inbox/stream/teardown"
done

log "2/4 app stack in $PRIMARY (tables retained)"
run "${SLS[@]}" remove --stage "$STAGE" --region "$PRIMARY"

if [[ $DELETE_DATA == 1 ]]; then
  log "3/4 deleting the global tables"
  for table in "${TABLES[@]/#/switchyard-$STAGE-}"; do
    for region in "${REGIONS[@]}"; do
      run "$AWS_CLI" dynamodb update-table --region "$region" --table-name "$table" --no-deletion-protection-enabled >/dev/null
    done
    for region in "${OTHERS[@]}"; do
      run "$AWS_CLI" dynamodb update-table --region "$PRIMARY" --table-name "$table" \
        --replica-updates "[{\"Delete\":{\"RegionName\":\"$region\"}}]" >/dev/null
      run "$AWS_CLI" dynamodb wait table-not-exists --region "$region" --table-name "$table"
    done
    run "$AWS_CLI" dynamodb delete-table --region "$PRIMARY" --table-name "$table" >/dev/null
  done
else
  log "3/4 tables kept: switchyard-$STAGE-{${TABLES[*]// /,}} in ${REGIONS[*]} (pass --delete-data to remove them)"
fi

if [[ $DELETE_KEYS == 1 ]]; then
  log "4/4 key stacks; keys scheduled for deletion in 30 days"
  for region in "${REGIONS[@]}"; do
    key="$([[ "${DRY_RUN:-0}" == 1 ]] && echo dry-run-key || "$AWS_CLI" kms describe-key --region "$region" --key-id "alias/switchyard-$STAGE-data" --query KeyMetadata.Arn --output text)"
    run "${SLS[@]}" remove -c serverless.keys.yml --stage "$STAGE" --region "$region"
    run "$AWS_CLI" kms schedule-key-deletion --region "$region" --key-id "$key" --pending-window-in-days 30 >/dev/null
  done
else
  log "4/4 keys kept (alias/switchyard-$STAGE-data in each region)"
fi
log "$STAGE torn down"
