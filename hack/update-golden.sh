#!/usr/bin/env bash
# Regenerates the renderer's golden files (Tests/ServingOperatorTests/Resources/golden/<case>/*.yaml)
# from templates/ and each case's inputs. Review the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
QUIVER_UPDATE_GOLDEN=1 swift test --filter 'ServingOperatorTests.GoldenTests' "$@"
echo "golden files updated under Tests/ServingOperatorTests/Resources/golden/"
