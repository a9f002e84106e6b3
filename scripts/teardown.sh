#!/usr/bin/env bash
# Removes a stage, in the reverse of the deploy order (docs/decisions/015):
#   1. the app stacks, last deployed first (a stack reading another's inbox stream goes before the owner);
#      every table is kept (DeletionPolicy: Retain)
#   2. --delete-data: the tables themselves: each global table (zone inbox and ledger, control) from
#      its owning region (deletion protection off, other replicas removed, then the table), and each
#      region's quarantine and coord
#   3. --delete-keys: the key stacks, and the keys scheduled for deletion (30 days, cancellable)
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
mapfile -t STACKS < <(deploy_plan stacks)
mapfile -t TABLES < <(deploy_plan tables)
[[ ${#STACKS[@]} -gt 0 && ${#TABLES[@]} -gt 0 ]] || die "no deploy plan for $STAGE (npx tsx scripts/deploy-plan.ts $STAGE stacks)"

log "1/3 app stacks, last deployed first (tables retained)"
for ((i = ${#STACKS[@]} - 1; i >= 0; i--)); do
  read -r region zones <<<"${STACKS[i]}"
  # serverless resolves the whole config to remove a stack; stream ARNs of the right shape will do.
  value=""
  for zone in $zones; do value+="${value:+;}$zone=arn:aws:dynamodb:$region:000000000000:table/switchyard-$STAGE-$zone-inbox/stream/teardown"; done
  run "${SLS[@]}" remove --stage "$STAGE" --region "$region" ${value:+"--param=inboxStreams=$value"}
done

if [[ $DELETE_DATA == 1 ]]; then
  log "2/3 deleting the tables"
  for line in "${TABLES[@]}"; do
    read -r table kind owner regions <<<"$line"
    for region in $regions; do
      run "$AWS_CLI" dynamodb update-table --region "$region" --table-name "$table" --no-deletion-protection-enabled >/dev/null
    done
    if [[ "$kind" == global ]]; then
      for region in $regions; do
        [[ "$region" == "$owner" ]] && continue
        run "$AWS_CLI" dynamodb update-table --region "$owner" --table-name "$table" \
          --replica-updates "[{\"Delete\":{\"RegionName\":\"$region\"}}]" >/dev/null
        run "$AWS_CLI" dynamodb wait table-not-exists --region "$region" --table-name "$table"
      done
      run "$AWS_CLI" dynamodb delete-table --region "$owner" --table-name "$table" >/dev/null
    else
      for region in $regions; do
        run "$AWS_CLI" dynamodb delete-table --region "$region" --table-name "$table" >/dev/null
      done
    fi
  done
else
  log "2/3 tables kept (pass --delete-data to remove them): $(for l in "${TABLES[@]}"; do printf '%s ' "${l%% *}"; done)"
fi

if [[ $DELETE_KEYS == 1 ]]; then
  log "3/3 key stacks; keys scheduled for deletion in 30 days"
  for region in "${REGIONS[@]}"; do
    key="$([[ "${DRY_RUN:-0}" == 1 ]] && echo dry-run-key || "$AWS_CLI" kms describe-key --region "$region" --key-id "alias/switchyard-$STAGE-data" --query KeyMetadata.Arn --output text)"
    run "${SLS[@]}" remove -c serverless.keys.yml --stage "$STAGE" --region "$region"
    run "$AWS_CLI" kms schedule-key-deletion --region "$region" --key-id "$key" --pending-window-in-days 30 >/dev/null
  done
else
  log "3/3 keys kept (alias/switchyard-$STAGE-data in each region)"
fi
log "$STAGE torn down"
