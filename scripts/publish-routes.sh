#!/usr/bin/env bash
# Publishes a routes catalog version (and optionally activates it) through the admin function in
# the primary region. The version goes to the control table (global: every region sees it within
# replication lag); the active pointer to the quorum store (a majority of regions' coord tables).
# Usage: scripts/publish-routes.sh <stage> <catalog.yml> [--activate]
# The caller must be one of the stage's adminInvokers; the audit records their IAM identity.
source "$(dirname "$0")/lib/common.sh"

load_stage "${1:-}"
CATALOG="${2:-}"
[[ -f "$CATALOG" ]] || die "name the routes catalog YAML to publish, e.g. scripts/publish-routes.sh $STAGE routes.yml"
ACTIVATE=false
[[ "${3:-}" == "--activate" ]] && ACTIVATE=true
require_credentials

if [[ "${DRY_RUN:-0}" == 1 ]]; then ACTOR="dry-run"; else ACTOR="$("$AWS_CLI" sts get-caller-identity --query Arn --output text)"; fi
PAYLOAD="$(node -e '
  const [file, actor, activate] = process.argv.slice(1);
  const yaml = require("fs").readFileSync(file, "utf8");
  process.stdout.write(JSON.stringify({ action: "routes.publish", actor, yaml, activate: activate === "true" }));
' "$CATALOG" "$ACTOR" "$ACTIVATE")"

OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
log "publishing $CATALOG to switchyard-$STAGE-admin in $PRIMARY (activate: $ACTIVATE)"
run "$AWS_CLI" lambda invoke --region "$PRIMARY" --function-name "switchyard-$STAGE-admin" \
  --cli-binary-format raw-in-base64-out --payload "$PAYLOAD" "$OUT" >/dev/null
[[ "${DRY_RUN:-0}" == 1 ]] && exit 0

cat "$OUT"; echo
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.exit(r.ok === true ? 0 : 1);' "$OUT" \
  || die "the admin function refused the catalog (see the error above); fix the catalog and publish again"
