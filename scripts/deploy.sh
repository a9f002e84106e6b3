#!/usr/bin/env bash
# Deploys a stage to all its regions, in the only order CloudFormation allows (docs/decisions/001, 015):
#   1. keys    every region: the data key (serverless.keys.yml); every replica and regional table needs
#              its region's key before it exists
#   2. stacks  the app stacks, primary first, then the other regions in stage-file order. Each stack
#              declares the global tables it owns (control and every zone with the primary: the primary;
#              a zone without it: the stack of its first region) and creates their replicas. A region's
#              route reads one inbox stream per zone it is in; a stream of a table another stack owns is
#              looked up here (the owner was deployed earlier in this order) and passed as
#              --param="inboxStreams=<zone>=<arn>;<zone>=<arn>"
#   3. routes  optionally, publish (and activate) a routes catalog through the admin function
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

log "1/3 data keys"
for region in "${REGIONS[@]}"; do
  run "${SLS[@]}" deploy -c serverless.keys.yml --stage "$STAGE" --region "$region"
done

log "2/3 app stacks, in deploy order"
mapfile -t STACKS < <(deploy_plan stacks)
[[ ${#STACKS[@]} -gt 0 ]] || die "no deploy plan for $STAGE (npx tsx scripts/deploy-plan.ts $STAGE stacks)"
for step in "${STACKS[@]}"; do
  read -r region zones <<<"$step"
  params=()
  if [[ -n "$zones" ]]; then
    # shellcheck disable=SC2086 # one argument per zone
    params=("--param=inboxStreams=$(inbox_streams_param "$region" $zones)")
    log "  $region (inbox streams of ${zones// /, }: tables owned by stacks deployed before it)"
  else
    log "  $region"
  fi
  run "${SLS[@]}" deploy --stage "$STAGE" --region "$region" "${params[@]}"
done

if [[ -n "$ROUTES" ]]; then
  log "3/3 routes catalog $ROUTES"
  "$(dirname "$0")/publish-routes.sh" "$STAGE" "$ROUTES" $ACTIVATE
else
  log "3/3 routes catalog: skipped (pass --routes <catalog.yml>, or run scripts/publish-routes.sh later)"
fi
log "$STAGE deployed to ${REGIONS[*]}"
